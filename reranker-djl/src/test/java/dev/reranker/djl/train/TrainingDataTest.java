package dev.reranker.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.RerankerException;
import dev.reranker.eval.JudgedQuery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String message(Path file) {
        return assertThrows(RerankerException.class, () -> TrainingData.read(file)).getMessage();
    }

    @Test
    void jsonLines_flagEmbeddingFormat() throws IOException {
        TrainingData data = TrainingData.read(file("train.jsonl", """
                {"query": "q1", "pos": ["p1"], "neg": ["n1", "n2"], "pos_scores": [1.0]}

                {"query": "q2", "pos": ["p2", "p3"]}
                """));
        assertEquals(List.of(
                new TrainingExample("q1", List.of("p1"), List.of("n1", "n2")),
                new TrainingExample("q2", List.of("p2", "p3"), List.of())), data.examples());
        assertEquals(0, data.skipped());
        assertEquals(List.of("p1", "n1", "n2", "p2", "p3"), data.documents());
    }

    @Test
    void jsonLines_queryWithoutPositive_skippedAndCounted() throws IOException {
        TrainingData data = TrainingData.read(file("train.jsonl", """
                {"query": "q1", "pos": [], "neg": ["n1"]}
                {"query": "q2", "pos": ["p2"], "neg": ["n2"]}
                {"query": "q3", "neg": ["n3"]}
                """));
        assertEquals(1, data.examples().size());
        assertEquals("q2", data.examples().get(0).query());
        assertEquals(2, data.skipped());
    }

    @Test
    void jsonLines_sameQueryMerged_positiveWinsOverNegative() throws IOException {
        TrainingData data = TrainingData.read(file("train.jsonl", """
                {"query": "q", "pos": ["a"], "neg": ["b", "c"]}
                {"query": "q", "pos": ["b", "a"], "neg": ["d", "c"]}
                """));
        assertEquals(List.of(new TrainingExample("q", List.of("a", "b"), List.of("c", "d"))), data.examples());
    }

    @Test
    void jsonLines_malformedJson_namesFileAndLine() throws IOException {
        Path file = file("train.jsonl", """
                {"query": "q1", "pos": ["p1"]}
                {"query": "q2", "pos": ["p2"
                """);
        assertTrue(message(file).startsWith(file + ":2: not valid JSON"), message(file));
    }

    @Test
    void jsonLines_wrongTypes_nameFieldAndLine() throws IOException {
        Path a = file("a.jsonl", "{\"pos\": [\"p\"]}\n");
        assertEquals(a + ":1: \"query\" must be a string, found nothing", message(a));
        Path b = file("b.jsonl", "\n{\"query\": \"q\", \"pos\": \"p\"}\n");
        assertEquals(b + ":2: \"pos\" must be an array of strings, found a string", message(b));
        Path c = file("c.jsonl", "{\"query\": \"q\", \"pos\": [\"p\"], \"neg\": [\"n\", 3]}\n");
        assertEquals(c + ":1: \"neg\"[1] must be a string, found 3", message(c));
        Path d = file("d.jsonl", "[1, 2]\n");
        assertTrue(message(d).startsWith(d + ":1: expected a JSON object"), message(d));
    }

    @Test
    void csv_triplets_withHeaderQuotesAndMerging() throws IOException {
        TrainingData data = TrainingData.read(file("triplets.csv", "\uFEFFquery,positive_doc,negative_doc\r\n"
                + "what is java,\"a language, and an island\",a coffee\r\n"
                + "what is java,\"a language, and an island\",\"he said \"\"hi\"\"\nover two lines\"\n"
                + "\n"
                + "python,a snake,\n"));
        assertEquals(List.of(
                new TrainingExample("what is java", List.of("a language, and an island"),
                        List.of("a coffee", "he said \"hi\"\nover two lines")),
                new TrainingExample("python", List.of("a snake"), List.of())), data.examples());
    }

    @Test
    void csv_wrongFieldCount_namesLineOfTheRecord() throws IOException {
        Path file = file("t.csv", "q,p,n\n\"q2\",\"multi\nline\",n\nq3,p3\n");
        assertEquals(file + ":4: expected 3 fields (query, positive_doc, negative_doc), found 2;"
                + " quote fields that contain commas", message(file));
    }

    @Test
    void csv_unclosedQuote_andTextAfterQuote_nameLine() throws IOException {
        Path open = file("open.csv", "q,p,n\nq2,\"never closed,n\n");
        assertEquals(open + ":2: a quoted field is never closed", message(open));
        Path after = file("after.csv", "q,\"p\"x,n\n");
        assertTrue(message(after).startsWith(after + ":1: a quote inside an unquoted field"), message(after));
    }

    @Test
    void tsv_triplets() throws IOException {
        TrainingData data = TrainingData.read(file("t.tsv", "q\t\"p\"\tn\nq\tp2\tn2\n"));
        assertEquals(List.of(new TrainingExample("q", List.of("\"p\"", "p2"), List.of("n", "n2"))), data.examples());
    }

    @Test
    void unknownExtension_saysWhichAreKnown() throws IOException {
        Path file = file("train.txt", "q,p,n\n");
        assertTrue(message(file).contains("use .jsonl"), message(file));
    }

    @Test
    void noPositiveAnywhere_isAnError() throws IOException {
        Path empty = file("empty.jsonl", "\n");
        assertEquals("no query in " + empty + " has a positive document (the file has no examples)", message(empty));
        Path none = file("none.jsonl", "{\"query\": \"q\", \"neg\": [\"n\"]}\n");
        assertEquals("no query in " + none + " has a positive document (1 query without one)", message(none));
    }

    @Test
    void missingFile_isNamed() {
        Path missing = dir.resolve("missing.jsonl");
        assertEquals("training data file " + missing + " does not exist or is not a file", message(missing));
    }

    @Test
    void judged_positivesRelevantThenNegatives() throws IOException {
        TrainingData data = TrainingData.read(file("e.jsonl", "{\"query\": \"q\", \"pos\": [\"a\"], \"neg\": [\"b\"]}\n"));
        assertEquals(List.of(JudgedQuery.binary("q", List.of("a"), List.of("b"))), data.judged());
    }
}
