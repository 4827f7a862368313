package dev.reranker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class PairTemplateTest {

    private static final long S = PairTemplate.SPECIAL;

    @Test
    void bertTemplate_clsQuerySepDocSep_withTypes() {
        // [CLS]=101 a=7 [SEP]=102 b=8 [SEP]=102
        PairTemplate t = PairTemplate.fromProbe(
                new long[] {101, 7, 102, 8, 102}, new long[] {0, 0, 0, 1, 1}, new long[] {S, 0, S, 1, S});
        assertEquals(3, t.specialTokens());
        assertTrue(t.distinguishesSides());
        TokenizedPair pair = t.assemble(4, new int[] {10, 11, 12}, 2, new int[] {20, 21, 22, 23}, 1, 3);
        assertEquals(4, pair.document());
        assertArrayEquals(new int[] {101, 10, 11, 102, 21, 22, 102}, pair.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1}, pair.types());
    }

    @Test
    void robertaTemplate_doubleSeparator_singleType() {
        PairTemplate t = PairTemplate.fromProbe(
                new long[] {0, 7, 2, 2, 8, 9, 2}, new long[7], new long[] {S, 0, S, S, 1, 1, S});
        assertEquals(4, t.specialTokens());
        assertFalse(t.distinguishesSides());
        TokenizedPair pair = t.assemble(0, new int[] {}, 0, new int[] {5}, 0, 1);
        assertArrayEquals(new int[] {0, 2, 2, 5, 2}, pair.ids());
        assertArrayEquals(new int[5], pair.types());
    }

    @Test
    void probeWithoutBothSides_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> PairTemplate.fromProbe(new long[] {1, 2}, new long[2], new long[] {S, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> PairTemplate.fromProbe(new long[] {1, 2, 3}, new long[3], new long[] {1, S, 0}));
    }
}
