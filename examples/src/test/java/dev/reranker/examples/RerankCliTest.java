package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's contract, run in-process on the real (tiny) model: what stdout holds, what
 * stderr holds, and the exit status.
 */
final class RerankCliTest {

    private static final String QUERY = "what is a panda?";
    private static final List<String> DOCUMENTS = List.of(
            "The giant panda is a bear native to China.",
            "Penguins live in Antarctica.",
            "Pandas eat bamboo almost exclusively.",
            "The stock market fell on Tuesday.");

    @TempDir
    Path temp;

    // ---- success ----

    @Test
    void run_json_isBestFirstWithEveryDocumentAtItsIndex() {
        Result result = run(withModel("--query", QUERY, "--json"), DOCUMENTS);

        result.assertSucceeded();
        JsonArray ranking = result.json();
        assertEquals(DOCUMENTS.size(), ranking.size());
        boolean[] seen = new boolean[DOCUMENTS.size()];
        double previous = Double.POSITIVE_INFINITY;
        for (JsonElement e : ranking) {
            JsonObject entry = e.getAsJsonObject();
            assertEquals(List.of("index", "score", "document"), new ArrayList<>(entry.keySet()));
            int index = entry.get("index").getAsInt();
            double score = entry.get("score").getAsDouble();
            assertEquals(DOCUMENTS.get(index), entry.get("document").getAsString());
            assertFalse(seen[index], "index " + index + " twice");
            seen[index] = true;
            assertTrue(score <= previous, "not best first: " + ranking);
            assertTrue(score >= 0 && score <= 1, "AUTO scores a one-logit model as a probability: " + score);
            previous = score;
        }
    }

    @Test
    void run_topK_keepsOnlyTheBest() {
        JsonArray all = run(withModel("--query", QUERY, "--json"), DOCUMENTS).json();

        Result top = run(withModel("--query", QUERY, "--json", "--top-k", "2"), DOCUMENTS);

        top.assertSucceeded();
        assertEquals(2, top.json().size());
        assertEquals(all.get(0), top.json().get(0));
        assertEquals(all.get(1), top.json().get(1));
    }

    @Test
    void run_topKLargerThanTheDocuments_keepsThemAll() {
        Result result = run(withModel("--query", QUERY, "--json", "--top-k", "50"), DOCUMENTS);

        result.assertSucceeded();
        assertEquals(DOCUMENTS.size(), result.json().size());
    }

    @Test
    void run_raw_printsLogitsWhoseSigmoidIsTheAutoScore() {
        double[] auto = scoresByIndex(run(withModel("--query", QUERY, "--json"), DOCUMENTS).json());

        Result raw = run(withModel("--query", QUERY, "--json", "--raw"), DOCUMENTS);

        raw.assertSucceeded();
        double[] logits = scoresByIndex(raw.json());
        assertFalse(Arrays.equals(auto, logits), "--raw printed the same scores as AUTO");
        for (int i = 0; i < auto.length; i++) {
            assertEquals(auto[i], 1 / (1 + Math.exp(-logits[i])), 1e-5, "document " + i);
        }
    }

    @Test
    void run_docsFile_ranksTheFilesDocuments() throws IOException {
        Path file = temp.resolve("docs.json");
        Files.writeString(file, "[\n  \"" + String.join("\",\n  \"", DOCUMENTS) + "\"\n]\n", StandardCharsets.UTF_8);

        Result fromFile = run(withModel("--query", QUERY, "--json", "--docs-file", file.toString()), List.of());

        fromFile.assertSucceeded();
        assertEquals(run(withModel("--query", QUERY, "--json"), DOCUMENTS).json(), fromFile.json());
    }

    @Test
    void run_unicodeDocuments_roundTripInJson() throws IOException {
        List<String> documents = List.of(
                "Le panda géant 🐼 mange du bambou.",
                "大熊猫是一种熊。",
                "👨‍👩‍👧 family emoji, e\u0301 combining accent, \uD83D\uDE00 surrogate pair",
                "<b>Pandas & bears</b> 'quoted' \"double\" back\\slash",
                "two\nlines\tand a tab",
                "");
        Path file = temp.resolve("unicode.json");
        JsonArray array = new JsonArray();
        documents.forEach(array::add);
        Files.writeString(file, array.toString(), StandardCharsets.UTF_8);

        for (List<String> args : List.of(
                withModel("--query", "panda 🐼", "--json", "--docs-file", file.toString()),
                withModel("--query", "panda 🐼", "--json", "--"))) {
            Result result = run(args, args.contains("--docs-file") ? List.of() : documents);

            result.assertSucceeded();
            List<String> printed = new ArrayList<>(documents);
            for (JsonElement e : result.json()) {
                JsonObject entry = e.getAsJsonObject();
                printed.set(entry.get("index").getAsInt(), entry.get("document").getAsString());
            }
            assertEquals(documents, printed);
            // Printed as is: no HTML escaping (<, >, &, ') and no \\u escapes for non-ASCII text.
            assertTrue(result.out.contains("<b>Pandas & bears</b> 'quoted'"), result.out);
            assertTrue(result.out.contains("Le panda géant 🐼"), result.out);
        }
    }

    @Test
    void run_noDocumentsWithJson_printsEmptyArray() {
        Result result = run(withModel("--query", QUERY, "--json"), List.of());

        result.assertSucceeded();
        assertEquals("[]", result.out.strip());
    }

    @Test
    void run_emptyDocsFile_printsEmptyArray() throws IOException {
        Path file = Files.writeString(temp.resolve("none.json"), "[]");

        Result result = run(withModel("--query", QUERY, "--json", "--docs-file", file.toString()), List.of());

        result.assertSucceeded();
        assertEquals("[]", result.out.strip());
    }

    @Test
    void run_noDocumentsWithoutJson_printsNothingAndSaysSoOnStderr() {
        Result result = run(withModel("--query", QUERY), List.of());

        assertEquals(RerankCli.OK, result.status, result.err);
        assertEquals("", result.out);
        assertTrue(result.err.contains("no documents"), result.err);
    }

    @Test
    void run_table_showsOneRowPerDocumentBestFirst() {
        List<String> documents = List.of("first\nsecond line", "Penguins live in Antarctica.");
        JsonArray json = run(withModel("--query", QUERY, "--json"), documents).json();

        Result table = run(withModel("--query", QUERY), documents);

        table.assertSucceeded();
        List<String> lines = table.out.lines().toList();
        assertEquals(1 + documents.size(), lines.size(), table.out);
        assertEquals(List.of("rank", "index", "score", "document"), List.of(lines.get(0).trim().split("\\s+")));
        for (int rank = 1; rank <= documents.size(); rank++) {
            JsonObject entry = json.get(rank - 1).getAsJsonObject();
            String[] cells = lines.get(rank).trim().split("\\s+", 4);
            assertEquals(Integer.toString(rank), cells[0]);
            assertEquals(entry.get("index").getAsString(), cells[1]);
            assertEquals(String.format(Locale.ROOT, "%.4f", entry.get("score").getAsDouble()), cells[2]);
            assertEquals(ResultPrinter.oneLine(entry.get("document").getAsString()), cells[3]);
        }
        assertTrue(table.out.contains("first\\nsecond line"), table.out);
    }

    @Test
    void run_truncationAndMaxLength_reachTheModel() {
        String longQuery = "what is a panda and where does it live and what does it eat every day of the year";
        List<String> longDocument =
                List.of("the giant panda is a bear that lives in the mountains of china and eats bamboo");
        List<String> common = withModel("--query", longQuery, "--json", "--max-length", "16");

        Result queryCap = run(concat(common, "--truncation", "query-cap"), longDocument);
        Result longestFirst = run(concat(common, "--truncation", "longest-first"), longDocument);
        Result untruncated = run(withModel("--query", longQuery, "--json"), longDocument);

        queryCap.assertSucceeded();
        longestFirst.assertSucceeded();
        double capped = queryCap.json().get(0).getAsJsonObject().get("score").getAsDouble();
        assertNotEquals(capped, longestFirst.json().get(0).getAsJsonObject().get("score").getAsDouble());
        assertNotEquals(capped, untruncated.json().get(0).getAsJsonObject().get("score").getAsDouble());
    }

    @Test
    void run_help_printsUsageOnStdout() {
        Result result = run(List.of("--query", "x", "--help", "--bogus"), List.of());

        assertEquals(RerankCli.OK, result.status);
        assertTrue(result.out.startsWith("usage: "), result.out);
        assertTrue(result.out.contains("--docs-file"), result.out);
        assertEquals("", result.err);
    }

    // ---- bad arguments: 2, a reason and the usage on stderr, nothing on stdout ----

    @Test
    void run_missingQuery_exits2() {
        run(withModel("--json"), DOCUMENTS).assertBadArguments("--query");
    }

    @Test
    void run_hubModelOfflineAndNotCached_exits1SayingHowToUseALocalDirectory() {
        Result result = run(List.of("--model", "nobody/no-such-reranker", "--offline", "--query", QUERY, "--json"),
                DOCUMENTS);

        result.assertFailed();
        assertTrue(result.err.contains("nobody/no-such-reranker"), result.err);
        assertTrue(result.err.contains("--model DIR"), result.err);
    }

    @Test
    void run_emptyModel_exits2() {
        run(List.of("--model", "", "--query", QUERY, "--json"), DOCUMENTS).assertBadArguments("--model");
    }

    @Test
    void run_unknownOption_exits2() {
        run(withModel("--query", QUERY, "--fast"), DOCUMENTS).assertBadArguments("unknown option --fast");
    }

    @Test
    void run_missingValue_exits2() {
        run(withModel("--query"), List.of()).assertBadArguments("--query needs a value");
    }

    @Test
    void run_nonIntegerBatchSize_exits2() {
        run(withModel("--query", QUERY, "--batch-size", "many"), DOCUMENTS).assertBadArguments("--batch-size");
    }

    @Test
    void run_batchSizeZero_exits2() {
        run(withModel("--query", QUERY, "--batch-size", "0"), DOCUMENTS).assertBadArguments("--batch-size");
    }

    @Test
    void run_maxBatchTokensZero_exits2() {
        run(withModel("--query", QUERY, "--max-batch-tokens", "0"), DOCUMENTS).assertBadArguments("--max-batch-tokens");
    }

    @Test
    void run_batchSizeZeroWithoutDocuments_exits2() {
        run(withModel("--query", QUERY, "--json", "--batch-size", "0"), List.of()).assertBadArguments("--batch-size");
    }

    @Test
    void run_maxLengthAboveTheModelsLimit_exits2() {
        run(withModel("--query", QUERY, "--max-length", "100000"), DOCUMENTS)
                .assertBadArguments("--max-length: maxLength must be at most the model's limit of 64");
    }

    @Test
    void run_unknownDevice_exits2() {
        run(withModel("--query", QUERY, "--device", "tpu"), DOCUMENTS).assertBadArguments("--device");
    }

    @Test
    void run_badTruncation_exits2() {
        run(withModel("--query", QUERY, "--truncation", "middle"), DOCUMENTS).assertBadArguments("--truncation");
    }

    @Test
    void run_topKZero_exits2() {
        run(withModel("--query", QUERY, "--top-k", "0"), DOCUMENTS).assertBadArguments("--top-k");
    }

    @Test
    void run_missingDocsFile_exits2() {
        String missing = temp.resolve("nope.json").toString();
        run(withModel("--query", QUERY, "--docs-file", missing), List.of()).assertBadArguments("--docs-file");
    }

    @Test
    void run_docsFileNotAnArray_exits2() throws IOException {
        Path file = Files.writeString(temp.resolve("object.json"), "{\"documents\": [\"a\"]}");
        run(withModel("--query", QUERY, "--docs-file", file.toString()), List.of())
                .assertBadArguments("holds an object; expected a JSON array of strings");
    }

    @Test
    void run_docsFileWithANonString_exits2() throws IOException {
        Path file = Files.writeString(temp.resolve("mixed.json"), "[\"a\", 2, \"c\"]");
        run(withModel("--query", QUERY, "--docs-file", file.toString()), List.of())
                .assertBadArguments("element 1 is a number");
    }

    @Test
    void run_docsFileNotJson_exits2() throws IOException {
        Path file = Files.writeString(temp.resolve("lines.txt"), "first document\nsecond document\n");
        run(withModel("--query", QUERY, "--docs-file", file.toString()), List.of())
                .assertBadArguments("is not valid JSON");
    }

    @Test
    void run_docsFileAndPositionalDocuments_exits2() throws IOException {
        Path file = Files.writeString(temp.resolve("docs.json"), "[\"a\"]");
        run(withModel("--query", QUERY, "--docs-file", file.toString()), List.of("b"))
                .assertBadArguments("either with --docs-file or as arguments");
    }

    // ---- failures: 1, one "error:" line on stderr ----

    @Test
    void run_missingModelDirectory_exits1WithOneErrorLine() {
        Path missing = temp.resolve("no-such-model");

        Result result = run(List.of("--model", missing.toString(), "--query", QUERY, "--json"), DOCUMENTS);

        result.assertFailed();
        assertTrue(result.err.contains(missing.toString()), result.err);
    }

    @Test
    void run_missingModelDirectoryWithoutDocuments_exits1() {
        Path missing = temp.resolve("no-such-model");

        Result result = run(List.of("--model", missing.toString(), "--query", QUERY, "--json"), List.of());

        result.assertFailed();
        assertTrue(result.err.contains(missing.toString()), result.err);
    }

    @Test
    void run_corruptModel_exits1WithOneErrorLine() throws IOException {
        Path model = Fixture.copyModel(temp.resolve("corrupt"));
        Files.writeString(model.resolve("model.pt"), "not a TorchScript archive");

        Result result = run(List.of("--model", model.toString(), "--query", QUERY), DOCUMENTS);

        result.assertFailed();
        assertTrue(result.err.contains("model.pt"), result.err);
    }

    @Test
    void run_verbose_printsTheStackTrace() {
        Path missing = temp.resolve("no-such-model");

        Result result = run(List.of("--model", missing.toString(), "--query", QUERY, "--verbose"), DOCUMENTS);

        assertEquals(RerankCli.FAILED, result.status);
        assertTrue(result.err.startsWith("error: "), result.err);
        assertTrue(result.err.contains("dev.reranker.RerankerException"), result.err);
        assertTrue(result.err.contains("\tat "), result.err);
    }

    // ---- helpers ----

    private static List<String> withModel(String... args) {
        return concat(List.of("--model", Fixture.model().toString()), args);
    }

    private static List<String> concat(List<String> first, String... more) {
        return Stream.concat(first.stream(), Arrays.stream(more)).toList();
    }

    private static double[] scoresByIndex(JsonArray ranking) {
        double[] scores = new double[ranking.size()];
        for (JsonElement e : ranking) {
            JsonObject entry = e.getAsJsonObject();
            scores[entry.get("index").getAsInt()] = entry.get("score").getAsDouble();
        }
        return scores;
    }

    private static Result run(List<String> options, List<String> documents) {
        String[] args = Stream.concat(options.stream(), documents.stream()).toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = RerankCli.run(args, o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {

        /** Stdout as one JSON array, parsed strictly: exactly one value, nothing but whitespace around it. */
        JsonArray json() {
            try (JsonReader reader = new JsonReader(new StringReader(out))) {
                reader.setStrictness(Strictness.STRICT);
                JsonElement value = new Gson().getAdapter(JsonElement.class).read(reader);
                assertEquals(JsonToken.END_DOCUMENT, reader.peek(), "more after the JSON value: " + out);
                return value.getAsJsonArray();
            } catch (IOException e) {
                throw new AssertionError("stdout is not one strict JSON value: " + out, e);
            }
        }

        void assertSucceeded() {
            assertEquals(RerankCli.OK, status, err);
            assertEquals("", err);
            assertTrue(out.endsWith(System.lineSeparator()), "output ends with a newline");
        }

        void assertBadArguments(String reason) {
            assertEquals(RerankCli.BAD_ARGUMENTS, status, err);
            assertEquals("", out);
            String first = err.lines().findFirst().orElse("");
            assertTrue(first.startsWith("error: ") && first.contains(reason), "first line: " + first);
            assertTrue(err.contains(System.lineSeparator() + "usage: "), err);
        }

        void assertFailed() {
            assertEquals(RerankCli.FAILED, status, err);
            assertEquals("", out);
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.size(), "one line, no stack trace: " + err);
            assertTrue(lines.get(0).startsWith("error: "), err);
        }
    }
}
