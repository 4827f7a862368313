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

    /**
     * @param heads attention heads whose {@code [T, T]} scores a forward pass materialises, 0 when it
     *     materialises none; with {@code intermediate} also 0, the sizes are unknown and nothing is sliced
     */
    public RowSlices(int heads, int intermediate) {
        this.heads = heads;
        this.intermediate = intermediate;
    }

    public float[][] run(PaddedBatch batch, Function<PaddedBatch, float[][]> forward) {
        long length = batch.length();
        long perRow = 4 * Math.max((long) heads * length * length, length * intermediate);
        if (perRow == 0 || (long) batch.rows() * perRow <= SLICE_BYTES) {
            return forward.apply(batch);
        }
        int rowsPerSlice = (int) Math.max(1, SLICE_BYTES / perRow);
        float[][] out = new float[batch.rows()][];
        for (int from = 0; from < batch.rows(); from += rowsPerSlice) {
            int to = Math.min(batch.rows(), from + rowsPerSlice);
            float[][] slice = forward.apply(batch.rows(from, to));
            System.arraycopy(slice, 0, out, from, slice.length);
        }
        return out;
    }
}
