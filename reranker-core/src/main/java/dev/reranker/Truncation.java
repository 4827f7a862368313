package dev.reranker;

/**
 * How a (query, document) pair that is longer than the model's window is cut. Lengths count tokens;
 * the model's special tokens ({@code [CLS]}, {@code [SEP]}, ...) are part of the window.
 */
public enum Truncation {

    /**
     * The query keeps at most {@code floor(3 * maxLength / 4)} tokens and the document is cut to fill
     * the rest. This is how BGE's {@code FlagReranker} truncates; it keeps a long query from pushing
     * the whole document out of the window.
     */
    QUERY_CAP_ONLY_SECOND,

    /**
     * Hugging Face's default for pairs ({@code truncation=True}): the longer side is cut first, so a
     * side shorter than half the content budget is kept whole and otherwise both keep about half.
     */
    LONGEST_FIRST
}
