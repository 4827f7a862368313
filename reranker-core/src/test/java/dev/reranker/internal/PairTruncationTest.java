package dev.reranker.internal;

import static dev.reranker.Truncation.LONGEST_FIRST;
import static dev.reranker.Truncation.QUERY_CAP_ONLY_SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

final class PairTruncationTest {

    @Test
    void fits_keepsEverything() {
        assertArrayEquals(new int[] {5, 16}, PairTruncation.keep(QUERY_CAP_ONLY_SECOND, 5, 16, 24, 3));
        assertArrayEquals(new int[] {5, 16}, PairTruncation.keep(LONGEST_FIRST, 5, 16, 24, 3));
    }

    @Test
    void queryCap_shortQuery_documentFillsTheRest() {
        // maxLength 24, 3 specials: budget 21; the query fits under its cap of 18.
        assertArrayEquals(new int[] {5, 16}, PairTruncation.keep(QUERY_CAP_ONLY_SECOND, 5, 40, 24, 3));
    }

    @Test
    void queryCap_longQuery_isCutToThreeQuarters() {
        assertArrayEquals(new int[] {18, 3}, PairTruncation.keep(QUERY_CAP_ONLY_SECOND, 30, 40, 24, 3));
        assertArrayEquals(new int[] {18, 2}, PairTruncation.keep(QUERY_CAP_ONLY_SECOND, 30, 40, 24, 4));
    }

    @Test
    void queryCap_queryLongerThanWindow_isNeverAnError() {
        assertArrayEquals(new int[] {3, 0}, PairTruncation.keep(QUERY_CAP_ONLY_SECOND, 100, 0, 6, 3));
        assertArrayEquals(new int[] {0, 0}, PairTruncation.keep(QUERY_CAP_ONLY_SECOND, 100, 10, 3, 3));
    }

    @Test
    void longestFirst_shorterSideFitsHalf_isKeptWhole() {
        // budget 21, half 10: a query of 4 stays, the document gets 17.
        assertArrayEquals(new int[] {4, 17}, PairTruncation.keep(LONGEST_FIRST, 4, 40, 24, 3));
        // a document of 3 stays, the query gets 18.
        assertArrayEquals(new int[] {18, 3}, PairTruncation.keep(LONGEST_FIRST, 40, 3, 24, 3));
    }

    @Test
    void longestFirst_bothLong_splitHalves_queryGetsFloor() {
        // budget 21: the shorter side keeps floor(21/2) = 10, the longer 11.
        assertArrayEquals(new int[] {10, 11}, PairTruncation.keep(LONGEST_FIRST, 15, 40, 24, 3));
        assertArrayEquals(new int[] {11, 10}, PairTruncation.keep(LONGEST_FIRST, 40, 15, 24, 3));
        // equal lengths: the query counts as the shorter side.
        assertArrayEquals(new int[] {10, 11}, PairTruncation.keep(LONGEST_FIRST, 30, 30, 24, 3));
    }
}
