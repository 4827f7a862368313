package dev.reranker.internal;

/**
 * One model input: a (query, document window) pair as token ids and token type ids, special tokens
 * included.
 *
 * @param document the index of the document it scores
 */
public record TokenizedPair(int document, int[] ids, int[] types) {

    public int length() {
        return ids.length;
    }
}
