package dev.reranker;

/** What a score is. */
public enum ScoreMode {

    /**
     * A probability in [0, 1]: the sigmoid of the single logit of a one-label model (as BGE and
     * sentence-transformers report it), or the softmax probability of the last label of a two-label
     * model.
     */
    AUTO,

    /** The model's raw logit for relevance: the single logit, or the last label's logit. */
    RAW
}
