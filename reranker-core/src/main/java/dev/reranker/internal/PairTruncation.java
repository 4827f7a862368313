package dev.reranker.internal;

import dev.reranker.Truncation;

/**
 * How many tokens of the query and of the document a pair keeps, for each {@link Truncation} policy.
 * The arithmetic follows BGE's FlagReranker and Hugging Face's Rust {@code tokenizers}.
 */
public final class PairTruncation {

    private PairTruncation() {}

    /**
     * Returns {@code {queryKeep, documentKeep}}.
     *
     * @param queryLength tokens of the query, without special tokens
     * @param documentLength tokens of the document, without special tokens
     * @param maxLength the window, special tokens included
     * @param specialTokens how many special tokens the pair template adds
     */
    public static int[] keep(
            Truncation policy, int queryLength, int documentLength, int maxLength, int specialTokens) {
        int budget = Math.max(0, maxLength - specialTokens);
        if (queryLength + documentLength <= budget) {
            return new int[] {queryLength, documentLength};
        }
        switch (policy) {
            case QUERY_CAP_ONLY_SECOND: {
                // The cap counts against maxLength; the budget bound keeps a huge query from
                // overflowing a tiny window (FlagReranker would fail there; we never do).
                int queryKeep = Math.min(queryLength, Math.min(3 * maxLength / 4, budget));
                return new int[] {queryKeep, Math.min(documentLength, budget - queryKeep)};
            }
            case LONGEST_FIRST: {
                // On equal lengths the query counts as the shorter side, as in tokenizers.
                boolean queryShorter = queryLength <= documentLength;
                int shorter = queryShorter ? queryLength : documentLength;
                int half = budget / 2;
                int shorterKeep = Math.min(shorter, half);
                int longerKeep = budget - shorterKeep;
                return queryShorter
                        ? new int[] {shorterKeep, longerKeep}
                        : new int[] {longerKeep, shorterKeep};
            }
            default:
                throw new AssertionError(policy);
        }
    }
}
