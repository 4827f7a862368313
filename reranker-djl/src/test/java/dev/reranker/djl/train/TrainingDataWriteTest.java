package dev.reranker.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TrainingDataWriteTest {

    /** What JSON must escape, what a line must not hold, and what should be left alone. */
    private static final String AWKWARD =
            "say \"hi\" \\ then\nnew line\ttab \u0001 caf\u00e9 \ud83d\ude00 <b>&'= \u2028 \u2029 \r";

    @TempDir
    Path dir;

    @Test
    void write_flagEmbeddingKeysInOrder() throws IOException {
        Path file = dir.resolve("train.jsonl");

        TrainingData.of(List.of(new TrainingExample("q", List.of("p"), List.of("n1", "n2")))).write(file);

        assertEquals("{\"query\":\"q\",\"pos\":[\"p\"],\"neg\":[\"n1\",\"n2\"]}\n", text(file));
    }

    @Test
    void write_escapesWhatJsonRequiresAndNothingElse() throws IOException {
        Path file = dir.resolve("train.jsonl");

        TrainingData.of(List.of(new TrainingExample(AWKWARD, List.of("p"), List.of()))).write(file);

        assertEquals("{\"query\":\"say \\\"hi\\\" \\\\ then\\nnew line\\ttab \\u0001 caf\u00e9 \ud83d\ude00 <b>&'="
                + " \\u2028 \\u2029 \\r\",\"pos\":[\"p\"],\"neg\":[]}\n", text(file));
    }

    @Test
    void write_utf8OneLineEachEndedByNewline() throws IOException {
        Path file = dir.resolve("train.jsonl");

        TrainingData.of(List.of(
                new TrainingExample(AWKWARD, List.of(AWKWARD), List.of(AWKWARD + "!")),
                new TrainingExample("caf\u00e9", List.of("p"), List.of()))).write(file);

        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(2, text.split("\n", -1).length - 1, text);
        assertTrue(text.endsWith("\"query\":\"caf\u00e9\",\"pos\":[\"p\"],\"neg\":[]}\n"), text);
        for (char terminator : new char[] {'\r', '\u2028', '\u2029'}) {
            assertEquals(-1, text.indexOf(terminator), "a raw U+" + Integer.toHexString(terminator));
        }
        // é as the two UTF-8 bytes C3 A9, not as \u00e9 or ISO-8859-1.
        assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("caf\u00c3\u00a9"));
    }

    @Test
    void write_readBackAsTheSameExamples() {
        Path file = dir.resolve("train.jsonl");
        TrainingData data = TrainingData.of(List.of(
                new TrainingExample(AWKWARD, List.of(AWKWARD + "!"), List.of("", AWKWARD)),
                new TrainingExample("q2", List.of("p1", "p2"), List.of()),
                new TrainingExample("\u2029", List.of("\u0000"), List.of("\ud83d\ude00"))));

        data.write(file);

        assertEquals(data.examples(), TrainingData.read(file).examples());
        assertEquals(0, TrainingData.read(file).skipped());
    }

    @Test
    void write_replacesTheFile() throws IOException {
        Path file = dir.resolve("train.jsonl");
        Files.writeString(file, "old and longer than what replaces it\n".repeat(10));

        TrainingData.of(List.of(new TrainingExample("q", List.of("p"), List.of()))).write(file);

        assertEquals("{\"query\":\"q\",\"pos\":[\"p\"],\"neg\":[]}\n", text(file));
    }

    @Test
    void write_noExamples_emptyFile() throws IOException {
        Path file = dir.resolve("train.jsonl");

        TrainingData.of(List.of()).write(file);

        assertEquals("", text(file));
    }

    @Test
    void write_skippedExamples_areNotWritten() throws IOException {
        Path file = dir.resolve("train.jsonl");

        TrainingData.of(List.of(
                new TrainingExample("none", List.of(), List.of("n")),
                new TrainingExample("q", List.of("p"), List.of()))).write(file);

        assertEquals("{\"query\":\"q\",\"pos\":[\"p\"],\"neg\":[]}\n", text(file));
    }

    @Test
    void write_missingDirectory_namesFileAndDirectory() {
        Path file = dir.resolve("missing/train.jsonl");
        TrainingData data = TrainingData.of(List.of(new TrainingExample("q", List.of("p"), List.of())));

        RerankerException e = assertThrows(RerankerException.class, () -> data.write(file));

        assertEquals("could not write " + file + ": the directory " + dir.resolve("missing") + " does not exist",
                e.getMessage());
    }

    @Test
    void write_directoryInTheWay_namesFile() throws IOException {
        Path file = Files.createDirectory(dir.resolve("train.jsonl"));
        TrainingData data = TrainingData.of(List.of(new TrainingExample("q", List.of("p"), List.of())));

        RerankerException e = assertThrows(RerankerException.class, () -> data.write(file));

        assertTrue(e.getMessage().startsWith("could not write " + file + ": "), e.getMessage());
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
