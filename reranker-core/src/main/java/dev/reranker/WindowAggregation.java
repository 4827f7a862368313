package dev.reranker;

/** How the scores of a long document's overlapping windows become the document's score. */
public enum WindowAggregation {

    /** The best window's score: the document is as relevant as its most relevant passage. */
    MAX,

    /** The mean of the windows' scores. */
    MEAN
}
