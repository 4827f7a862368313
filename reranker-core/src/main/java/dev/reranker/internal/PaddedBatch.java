package dev.reranker.internal;

import java.util.List;

/**
 * A batch of pairs padded to its own longest pair, as row-major {@code rows x length} int64 arrays
 * ready to become tensors.
 */
public record PaddedBatch(int rows, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {

    /** Pads the pairs with {@code padId}; padding positions get attention 0 and token type 0. */
    public static PaddedBatch of(List<TokenizedPair> pairs, int padId) {
        int rows = pairs.size();
        int length = 0;
        for (TokenizedPair pair : pairs) {
            length = Math.max(length, pair.length());
        }
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] types = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            TokenizedPair pair = pairs.get(r);
            int base = r * length;
            for (int t = 0; t < length; t++) {
                if (t < pair.length()) {
                    ids[base + t] = pair.ids()[t];
                    mask[base + t] = 1;
                    types[base + t] = pair.types()[t];
                } else {
                    ids[base + t] = padId;
                }
            }
        }
        return new PaddedBatch(rows, length, ids, mask, types);
    }

    /** Rows {@code [from, to)} as a batch of their own, still padded to this batch's length. */
    public PaddedBatch rows(int from, int to) {
        if (from < 0 || to > rows || from >= to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
        }
        int a = from * length;
        int b = to * length;
        return new PaddedBatch(to - from, length, java.util.Arrays.copyOfRange(inputIds, a, b),
                java.util.Arrays.copyOfRange(attentionMask, a, b), java.util.Arrays.copyOfRange(tokenTypeIds, a, b));
    }

    /** Tokens of row {@code row} that are not padding. */
    public int realTokens(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        int n = 0;
        for (int t = row * length, end = t + length; t < end; t++) {
            n += (int) attentionMask[t];
        }
        return n;
    }

    /** Tokens that are not padding. */
    public long realTokens() {
        long n = 0;
        for (long m : attentionMask) {
            n += m;
        }
        return n;
    }
}
