package dev.reranker.internal;

import dev.reranker.RerankerException;
import dev.reranker.ScoreMode;

/** Logits to scores. */
public final class Scores {

    private Scores() {}

    /**
     * One pair's score from its logits: one label → the logit or its sigmoid; two labels → the last
     * label's logit or its softmax probability.
     */
    public static float score(float[] logits, ScoreMode mode) {
        switch (logits.length) {
            case 1:
                return mode == ScoreMode.RAW ? logits[0] : (float) sigmoid(logits[0]);
            case 2:
                return mode == ScoreMode.RAW ? logits[1] : (float) sigmoid((double) logits[1] - logits[0]);
            default:
                throw new RerankerException("the model gives " + logits.length
                        + " logits per pair; a reranker must give 1 (a relevance logit) or 2 (irrelevant, relevant)");
        }
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }
}
