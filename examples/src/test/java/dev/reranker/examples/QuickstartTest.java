package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The quick start runs as the README shows it (the tiny model's ranking itself means nothing). */
final class QuickstartTest {

    @Test
    void main_printsEveryDocumentRankedWithItsScore() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            Quickstart.main(new String[] {Fixture.model().toString()});
        } finally {
            System.setOut(stdout);
        }

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), String.join("\n", lines));
        for (int rank = 1; rank <= 3; rank++) {
            assertTrue(lines.get(rank - 1).matches(rank + "  [01]\\.\\d{4}  .+"), lines.get(rank - 1));
        }
        Set<String> documents = lines.stream().map(line -> line.split("  ", 3)[2]).collect(Collectors.toSet());
        assertEquals(Set.of(
                "Paris is the capital and most populous city of France.",
                "Lyon is a major city in France, known for its cuisine.",
                "Berlin is the capital of Germany."), documents);
    }
}
