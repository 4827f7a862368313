package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.djl.train.TrainingData;
import dev.reranker.djl.train.TrainingExample;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Bf16Agreement runs on a real checkpoint (the tiny BERT fixture) and counts what it says it counts. */
class Bf16AgreementTest {

    @Test
    void compare_onTheTinyFixture() {
        Path model = Path.of("../reranker-djl/src/test/resources/fixtures/tiny-bert").toAbsolutePath().normalize();
        TrainingData data = TrainingData.of(List.of(
                new TrainingExample("what is a panda ?", List.of("the giant panda is a bear"), List.of("penguins live in antarctica")),
                new TrainingExample("where is paris ?", List.of("paris is the capital of france"), List.of("lyon is a city"))));
        Bf16Agreement.Result r = Bf16Agreement.compare(model, data, 4, 10, 1);
        assertEquals(2, r.queries());
        assertEquals(4, r.candidates());
        assertTrue(r.sameTop10() >= 0 && r.sameTop10() <= 2);
        assertTrue(r.maxDifference() >= r.meanDifference() && r.maxDifference() < 0.1, r.toString());
    }

    @Test
    void top_bestFirst_tiesByIndex() {
        assertArrayEquals(new int[] {2, 0, 3, 1}, Bf16Agreement.top(new float[] {0.5f, 0.1f, 0.9f, 0.5f}));
    }
}
