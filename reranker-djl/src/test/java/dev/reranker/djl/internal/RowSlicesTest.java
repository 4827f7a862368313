package dev.reranker.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reranker.internal.PaddedBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

final class RowSlicesTest {

    private static final int INTERMEDIATE = 1536; // 32 MB of fp32 activations: 5,461 tokens

    private final List<Integer> sliceRows = new ArrayList<>();

    /** Each row's logit is its real token count, so a misplaced row shows. */
    private float[][] forward(PaddedBatch batch) {
        sliceRows.add(batch.rows());
        float[][] out = new float[batch.rows()][];
        for (int r = 0; r < batch.rows(); r++) {
            out[r] = new float[] {batch.realTokens(r)};
        }
        return out;
    }

    /** Rows padded to the longest, with these real token counts. */
    private static PaddedBatch batch(int... real) {
        int length = Arrays.stream(real).max().orElseThrow();
        long[] ids = new long[real.length * length];
        long[] mask = new long[ids.length];
        for (int r = 0; r < real.length; r++) {
            Arrays.fill(ids, r * length, r * length + real[r], 5);
            Arrays.fill(mask, r * length, r * length + real[r], 1);
        }
        return new PaddedBatch(real.length, length, ids, mask, new long[ids.length]);
    }

    private void assertRows(float[][] logits, int... real) {
        assertEquals(real.length, logits.length);
        for (int r = 0; r < real.length; r++) {
            assertEquals(real[r], logits[r][0], "row " + r);
        }
    }

    @Test
    void packed_slicesByRealTokens_andKeepsRowOrder() {
        // 4,000 + 1,000 real tokens fit 32 MB of activations; a third row does not.
        int[] real = {4000, 1000, 1000, 4000};
        assertRows(RowSlices.packed(INTERMEDIATE).run(batch(real), this::forward), real);
        assertEquals(List.of(2, 2), sliceRows);
    }

    @Test
    void padded_everyRowCostsTheBatchLength() {
        int[] real = {4000, 1000, 1000, 4000};
        assertRows(new RowSlices(0, INTERMEDIATE).run(batch(real), this::forward), real);
        assertEquals(List.of(1, 1, 1, 1), sliceRows);
    }

    @Test
    void aBatchUnderTheLimit_runsWhole() {
        int[] real = {5000, 100, 300};
        assertRows(RowSlices.packed(INTERMEDIATE).run(batch(real), this::forward), real);
        assertEquals(List.of(3), sliceRows);
        sliceRows.clear();
        assertRows(new RowSlices(0, 0).run(batch(9000, 9000), this::forward), 9000, 9000); // sizes unknown
        assertEquals(List.of(2), sliceRows);
    }

    @Test
    void aRowOverTheLimit_runsAlone() {
        int[] real = {100, 6000, 100};
        assertRows(RowSlices.packed(INTERMEDIATE).run(batch(real), this::forward), real);
        assertEquals(List.of(1, 1, 1), sliceRows);
    }
}
