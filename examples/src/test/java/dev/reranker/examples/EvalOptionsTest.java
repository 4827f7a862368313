package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Parsing {@code eval}'s arguments alone: no model, no files. */
final class EvalOptionsTest {

    @Test
    void parse_minimal_leavesEverythingElseToTheLibrary() throws UsageException {
        EvalOptions options = EvalOptions.parse(new String[] {"--model", "m", "--eval", "e.jsonl"});

        assertFalse(options.help());
        assertEquals("m", options.model());
        assertEquals(Path.of("e.jsonl"), options.eval());
        assertNull(options.maxLength());
        assertNull(options.device());
        assertFalse(options.json() || options.verbose() || options.offline());
    }

    @Test
    void parse_everyOption() throws UsageException {
        EvalOptions options = EvalOptions.parse(new String[] {"--eval", "e.tsv", "--model", "org/name",
            "--max-length", "128", "--device", "gpu:1", "--json", "--verbose", "--offline"});

        assertEquals("org/name", options.model());
        assertEquals(Path.of("e.tsv"), options.eval());
        assertEquals(128, options.maxLength());
        assertEquals("gpu:1", options.device());
        assertTrue(options.json() && options.verbose() && options.offline());
    }

    @Test
    void parse_help_winsOverErrors() throws UsageException {
        assertTrue(EvalOptions.parse(new String[] {"--bogus", "--max-length", "x", "--help"}).help());
        assertTrue(EvalOptions.parse(new String[] {"-h"}).help());
    }

    @Test
    void parse_missingModel() {
        assertEquals("missing --model: give the model to evaluate (a directory or a Hugging Face model id)",
                error("--eval", "e.jsonl"));
    }

    @Test
    void parse_missingEval() {
        assertEquals("missing --eval: give the file of judged queries (.jsonl, .csv or .tsv)", error("--model", "m"));
    }

    @Test
    void parse_emptyModel() {
        assertEquals("--model needs a directory or a Hugging Face model id, got an empty string",
                error("--model", "", "--eval", "e.jsonl"));
    }

    @Test
    void parse_emptyEval() {
        assertEquals("--eval needs a .jsonl, .csv or .tsv file, got an empty string",
                error("--model", "m", "--eval", " "));
    }

    @Test
    void parse_unknownOption_evenOneOfRerank() {
        assertEquals("unknown option --query", error("--model", "m", "--eval", "e.jsonl", "--query", "q"));
    }

    @Test
    void parse_positionalArgument() {
        assertEquals("unexpected argument \"e.jsonl\": eval takes only options", error("--model", "m", "e.jsonl"));
    }

    @Test
    void parse_nonIntegerMaxLength_namesTheOption() {
        assertEquals("--max-length expects a whole number, was \"long\"",
                error("--model", "m", "--eval", "e.jsonl", "--max-length", "long"));
    }

    @Test
    void parse_valueAtTheEnd_isAMissingValue() {
        assertEquals("--eval needs a value: a .jsonl, .csv or .tsv file", error("--model", "m", "--eval"));
    }

    @Test
    void parse_valueThatIsAnOption_isAMissingValue() {
        assertEquals("--model needs a value (a directory or a Hugging Face model id), but is followed by --eval",
                error("--model", "--eval", "e.jsonl"));
    }

    @Test
    void parse_repeatedOption() {
        assertEquals("--eval is given more than once", error("--model", "m", "--eval", "a.jsonl", "--eval", "b.jsonl"));
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> EvalOptions.parse(args)).getMessage();
    }
}
