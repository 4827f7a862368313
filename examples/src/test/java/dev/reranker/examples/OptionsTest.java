package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.Truncation;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Parsing alone: no model, no files. */
final class OptionsTest {

    @Test
    void parse_minimal_leavesEverythingElseToTheLibrary() throws UsageException {
        Options options = Options.parse(new String[] {"--model", "m", "--query", "q", "a", "b"});

        assertFalse(options.help());
        assertEquals("m", options.model());
        assertEquals("q", options.query());
        assertEquals(List.of("a", "b"), options.documents());
        assertNull(options.docsFile());
        assertNull(options.maxLength());
        assertNull(options.batchSize());
        assertNull(options.maxBatchTokens());
        assertNull(options.device());
        assertNull(options.topK());
        assertNull(options.truncation());
        assertFalse(options.raw() || options.json() || options.verbose());
    }

    @Test
    void parse_everyOption() throws UsageException {
        Options options = Options.parse(new String[] {
            "--model", "m", "--query", "q", "--docs-file", "d.json", "--max-length", "128", "--batch-size", "8",
            "--max-batch-tokens", "2048", "--device", "gpu:1", "--top-k", "3", "--truncation", "longest-first",
            "--raw", "--json", "--verbose"});

        assertEquals(Path.of("d.json"), options.docsFile());
        assertEquals(128, options.maxLength());
        assertEquals(8, options.batchSize());
        assertEquals(2048, options.maxBatchTokens());
        assertEquals("gpu:1", options.device());
        assertEquals(3, options.topK());
        assertEquals(Truncation.LONGEST_FIRST, options.truncation());
        assertTrue(options.raw() && options.json() && options.verbose());
    }

    @Test
    void parse_truncationNames() throws UsageException {
        assertEquals(Truncation.QUERY_CAP_ONLY_SECOND, parse("--truncation", "query-cap").truncation());
        assertEquals(Truncation.LONGEST_FIRST, parse("--truncation", "Longest-First").truncation());
    }

    @Test
    void parse_documentsMayComeBeforeAndBetweenOptions() throws UsageException {
        Options options = Options.parse(new String[] {"a", "--model", "m", "b", "--query", "q", "c", "-"});

        assertEquals(List.of("a", "b", "c", "-"), options.documents());
    }

    @Test
    void parse_afterDoubleDash_everythingIsADocument() throws UsageException {
        Options options = parse("--", "--json", "-5 degrees", "--");

        assertEquals(List.of("--json", "-5 degrees", "--"), options.documents());
        assertFalse(options.json());
    }

    @Test
    void parse_help_winsOverErrors() throws UsageException {
        assertTrue(Options.parse(new String[] {"--bogus", "--top-k", "x", "--help"}).help());
        assertTrue(Options.parse(new String[] {"-h"}).help());
        assertFalse(parse("--", "--help").help(), "--help after -- is a document");
    }

    @Test
    void parse_negativeNumberOutsideDoubleDash_isAnUnknownOptionWithAHint() {
        UsageException e = assertThrows(UsageException.class, () -> parse("-5"));

        assertEquals("unknown option -5 (documents that start with \"-\" go after --)", e.getMessage());
    }

    @Test
    void parse_valueThatIsAnOption_isAMissingValue() {
        UsageException e = assertThrows(UsageException.class,
                () -> Options.parse(new String[] {"--model", "--query", "q"}));

        assertEquals("--model needs a value (a directory or a Hugging Face model id), but is followed by --query", e.getMessage());
    }

    @Test
    void parse_valueAtTheEnd_isAMissingValue() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--top-k"));

        assertEquals("--top-k needs a value: a number of documents", e.getMessage());
    }

    @Test
    void parse_negativeTopK_isAValueNotAnOption() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--top-k", "-1"));

        assertEquals("--top-k must be at least 1, was -1", e.getMessage());
    }

    @Test
    void parse_nonInteger_namesTheOption() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--max-length", "1e3"));

        assertEquals("--max-length expects a whole number, was \"1e3\"", e.getMessage());
    }

    @Test
    void parse_repeatedOption_isAnError() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--query", "again"));

        assertEquals("--query is given more than once", e.getMessage());
    }

    @Test
    void parse_noModel_usesTheDefaultHubModel() throws UsageException {
        Options options = Options.parse(new String[] {"--query", "q"});

        assertEquals("cross-encoder/ms-marco-MiniLM-L-6-v2", options.model());
        assertFalse(options.offline());
        assertTrue(Options.parse(new String[] {"--query", "q", "--offline"}).offline());
    }

    /** Parses {@code args} after a valid {@code --model} and {@code --query}. */
    private static Options parse(String... args) throws UsageException {
        String[] all = new String[args.length + 4];
        all[0] = "--model";
        all[1] = "m";
        all[2] = "--query";
        all[3] = "q";
        System.arraycopy(args, 0, all, 4, args.length);
        return Options.parse(all);
    }
}
