package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.djl.train.TrainingData;
import dev.reranker.djl.train.TrainingExample;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bf16Agreement runs on a real checkpoint (the tiny BERT fixture) and counts what it says it counts. */
class Bf16AgreementTest {

    private static final Path MODEL =
            Path.of("../reranker-djl/src/test/resources/fixtures/tiny-bert").toAbsolutePath().normalize();
    private static final TrainingData DATA = TrainingData.of(List.of(
            new TrainingExample("what is a panda ?", List.of("the giant panda is a bear"), List.of("penguins live in antarctica")),
            new TrainingExample("where is paris ?", List.of("paris is the capital of france"), List.of("lyon is a city"))));

    @ParameterizedTest
    @EnumSource(Bf16Agreement.Route.class)
    void compare_onTheTinyFixture(Bf16Agreement.Route route) throws IOException {
        Bf16Agreement.Result r = Bf16Agreement.compare(MODEL, route, DATA, 4, 10, 1);
        assertEquals(2, r.queries());
        assertEquals(4, r.candidates());
        assertTrue(r.sameTop10() >= 0 && r.sameTop10() <= 2);
        // bf16 rounding moves scores, a little: neither identical to fp32 nor far from it
        assertTrue(r.maxDifference() > 0 && r.maxDifference() >= r.meanDifference() && r.maxDifference() < 0.1,
                r.toString());
    }

    @Test
    void bf16Weights_roundsEveryF32TensorAndCopiesTheRest(@TempDir Path target) throws IOException {
        Bf16Weights.copy(MODEL, target);
        try (Stream<Path> files = Files.list(MODEL)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(f.getFileName().toString());
                if (f.toString().endsWith(".safetensors")) {
                    String header = header(copy);
                    assertTrue(header.contains("\"BF16\"") && !header.contains("\"F32\""), header);
                    assertTrue(Files.size(copy) < Files.size(f) * 0.6, "bf16 halves the data");
                } else if (Files.isRegularFile(f)) {
                    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), f.toString());
                }
            }
        }
    }

    @Test
    void bf16Weights_withoutSafetensors_saysWhatItNeeds(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bf16Weights.copy(dir, Files.createDirectory(dir.resolve("out"))));
        assertTrue(e.getMessage().contains("no .safetensors file"), e.getMessage());
    }

    private static String header(Path safetensors) throws IOException {
        byte[] bytes = Files.readAllBytes(safetensors);
        long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(bytes, 8, (int) length, StandardCharsets.UTF_8);
    }

    @Test
    void top_bestFirst_tiesByIndex() {
        assertArrayEquals(new int[] {2, 0, 3, 1}, Bf16Agreement.top(new float[] {0.5f, 0.1f, 0.9f, 0.5f}));
    }
}
