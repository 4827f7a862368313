package dev.reranker.djl.train;

/**
 * What training minimises over each query's group of one positive and {@code groupSize - 1}
 * negatives. All three act on the relevance logit (the single logit, or for a two-label model the
 * relevant label's logit minus the other's), the quantity whose sigmoid is the score.
 */
public enum Loss {

    /**
     * Softmax cross-entropy over the group with the positive as the answer, as FlagEmbedding trains
     * its rerankers. The default: every negative in the group pushes against the positive at once,
     * which is what ranking asks for, and it learns most from hard negatives.
     */
    LISTWISE,

    /** {@code max(0, margin - (positive - negative))} for every negative in the group, averaged. */
    MARGIN,

    /**
     * Pointwise binary cross-entropy: the positive's label is 1, every negative's 0, as
     * sentence-transformers' CrossEncoder trains on labelled pairs. Calibrates the scores as
     * probabilities rather than only ordering them.
     */
    BCE
}
