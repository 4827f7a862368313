package dev.reranker.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

final class EvaluationTest {

    private static final Evaluation RESULT = new Evaluation(10, 0.6123, 0.58, 0.5511, 0.9, 200, 3);

    @Test
    void metrics_namedByK_inFixedOrder() {
        Map<String, Double> metrics = RESULT.metrics();
        assertEquals(List.of("ndcg@10", "mrr@10", "map", "recall@10"), List.copyOf(metrics.keySet()));
        assertEquals(List.of(0.6123, 0.58, 0.5511, 0.9), List.copyOf(metrics.values()));
    }

    @Test
    void metrics_areUnmodifiable() {
        assertThrows(UnsupportedOperationException.class, () -> RESULT.metrics().put("map", 1.0));
    }

    @Test
    void toString_readable() {
        assertEquals("NDCG@10 0.6123, MRR@10 0.5800, MAP 0.5511, Recall@10 0.9000 over 200 queries"
                + " (3 skipped: no relevant document)", RESULT.toString());
    }

    @Test
    void toString_noneSkipped_oneQuery() {
        assertEquals("NDCG@5 1.0000, MRR@5 1.0000, MAP 1.0000, Recall@5 1.0000 over 1 query",
                new Evaluation(5, 1, 1, 1, 1, 1, 0).toString());
    }

    @Test
    void kBelowOne_throws() {
        assertIae("k must be at least 1, was 0", () -> new Evaluation(0, 0.5, 0.5, 0.5, 0.5, 1, 0));
    }

    @Test
    void metricOutsideZeroToOne_throwsNamingIt() {
        assertIae("ndcg must be in [0, 1], was 1.5", () -> new Evaluation(10, 1.5, 0.5, 0.5, 0.5, 1, 0));
        assertIae("recall must be in [0, 1], was -0.1", () -> new Evaluation(10, 0.5, 0.5, 0.5, -0.1, 1, 0));
    }

    @Test
    void nanMetric_throwsNamingIt() {
        assertIae("map must be in [0, 1], was NaN", () -> new Evaluation(10, 0.5, 0.5, Double.NaN, 0.5, 1, 0));
    }

    @Test
    void noQueries_throws() {
        assertIae("queries must be at least 1, was 0", () -> new Evaluation(10, 0.5, 0.5, 0.5, 0.5, 0, 2));
    }

    @Test
    void negativeSkipped_throws() {
        assertIae("skipped must not be negative, was -1", () -> new Evaluation(10, 0.5, 0.5, 0.5, 0.5, 1, -1));
    }

    private static void assertIae(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
