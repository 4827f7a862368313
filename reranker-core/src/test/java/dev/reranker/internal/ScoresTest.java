package dev.reranker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reranker.RerankerException;
import dev.reranker.ScoreMode;

import org.junit.jupiter.api.Test;

final class ScoresTest {

    @Test
    void oneLabel_autoIsSigmoid_rawIsLogit() {
        assertEquals(0.9295046083177759, Scores.score(new float[] {2.579104423522949f}, ScoreMode.AUTO), 1e-6);
        assertEquals(2.5791044f, Scores.score(new float[] {2.5791044f}, ScoreMode.RAW));
        assertEquals(0.0, Scores.score(new float[] {-200f}, ScoreMode.AUTO), 1e-30);
        assertEquals(1.0, Scores.score(new float[] {200f}, ScoreMode.AUTO), 0);
    }

    @Test
    void twoLabels_autoIsSoftmaxOfLast_rawIsLastLogit() {
        float[] logits = {0.3f, 1.1f};
        double expected = Math.exp(1.1) / (Math.exp(0.3) + Math.exp(1.1));
        assertEquals(expected, Scores.score(logits, ScoreMode.AUTO), 1e-6);
        assertEquals(1.1f, Scores.score(logits, ScoreMode.RAW));
    }

    @Test
    void threeLabels_isAnError() {
        assertThrows(RerankerException.class, () -> Scores.score(new float[3], ScoreMode.AUTO));
    }
}
