package dev.reranker.djl.internal;

import dev.reranker.internal.PaddedBatch;

import java.util.function.Function;

/**
 * Runs a batch in slices of rows small enough that no temporary exceeds 32 MB.
 *
 * <p>glibc serves blocks over 64 MB from threads other than main with fresh mmaps whatever mallopt
 * says (per-thread heaps are capped at 64 MB) and unmaps them on free, so a batch whose attention
 * scores or feed-forward activations pass that size faults all of them in again every time. Rows
 * are independent, so slicing changes no score.
 */
public final class RowSlices {

    private static final long SLICE_BYTES = 32L << 20;

    private final int heads;
    private final int intermediate;
    private final boolean packed;

    /**
     * For a forward pass that runs the padding: every row costs the batch's padded length.
     *
     * @param heads attention heads whose {@code [T, T]} scores a forward pass materialises, 0 when it
     *     materialises none; with {@code intermediate} also 0, the sizes are unknown and nothing is sliced
     */
    public RowSlices(int heads, int intermediate) {
        this(heads, intermediate, false);
    }

    private RowSlices(int heads, int intermediate, boolean packed) {
        this.heads = heads;
        this.intermediate = intermediate;
        this.packed = packed;
    }

    /**
     * For a forward pass that packs the batch without its padding and materialises no attention
     * scores: a row costs its real tokens' feed-forward activations.
     */
    public static RowSlices packed(int intermediate) {
        return new RowSlices(0, intermediate, true);
    }

    public float[][] run(PaddedBatch batch, Function<PaddedBatch, float[][]> forward) {
        int rows = batch.rows();
        long[] rowBytes = new long[rows];
        long total = 0;
        for (int r = 0; r < rows; r++) {
            long tokens = packed ? batch.realTokens(r) : batch.length();
            rowBytes[r] = 4 * Math.max((long) heads * tokens * tokens, tokens * intermediate);
            total += rowBytes[r];
        }
        if (total <= SLICE_BYTES) { // also when the sizes are unknown (all 0)
            return forward.apply(batch);
        }
        float[][] out = new float[rows][];
        int from = 0;
        long sliceBytes = 0;
        for (int r = 0; r < rows; r++) {
            if (r > from && sliceBytes + rowBytes[r] > SLICE_BYTES) {
                runSlice(batch, from, r, forward, out);
                from = r;
                sliceBytes = 0;
            }
            sliceBytes += rowBytes[r];
        }
        runSlice(batch, from, rows, forward, out);
        return out;
    }

    private static void runSlice(PaddedBatch batch, int from, int to, Function<PaddedBatch, float[][]> forward,
            float[][] out) {
        float[][] slice = forward.apply(batch.rows(from, to));
        System.arraycopy(slice, 0, out, from, slice.length);
    }
}
