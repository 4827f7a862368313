package dev.reranker.eval;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/*
 * Discounts used below: log2(2) = 1, log2(3) = 1.5849625007, log2(4) = 2, log2(5) = 2.3219280949,
 * log2(6) = 2.5849625007; so 1/log2(3) = 0.6309297536 and 1/log2(5) = 0.4306765581.
 */
final class RankingMetricsTest {

    private static final double EPS = 1e-9;

    @Test
    void ndcg_binary() {
        // DCG  = 0/1 + 1/log2(3) + 0/2 + 1/log2(5) = 0.6309297536 + 0.4306765581 = 1.0616063117
        // IDCG = 1/1 + 1/log2(3)                     = 1.6309297536
        // NDCG = 1.0616063117 / 1.6309297536         = 0.6509209298
        assertEquals(0.6509209298, RankingMetrics.ndcg(new double[] {0, 1, 0, 1}, 4), EPS);
    }

    @Test
    void ndcg_graded() {
        // DCG  = 1/1 + 3/log2(3) + 0/2 + 2/log2(5) = 1 + 1.8927892607 + 0.8613531161 = 3.7541423769
        // ideal order 3, 2, 1, 0:
        // IDCG = 3/1 + 2/log2(3) + 1/2               = 3 + 1.2618595071 + 0.5        = 4.7618595071
        // NDCG = 3.7541423769 / 4.7618595071                                        = 0.7883773915
        assertEquals(0.7883773915, RankingMetrics.ndcg(new double[] {1, 3, 0, 2}, 4), EPS);
    }

    @Test
    void ndcg_gainIsTheGradeNotTwoToTheGrade() {
        // linear gain:      (1 + 2/log2(3)) / (2 + 1/log2(3)) = 2.2618595071 / 2.6309297536 = 0.8597186999
        // (2^rel - 1 gain:  (1 + 3/log2(3)) / (3 + 1/log2(3)) = 2.8927892607 / 3.6309297536 = 0.7967075810)
        assertEquals(0.8597186999, RankingMetrics.ndcg(new double[] {1, 2}, 2), EPS);
    }

    @Test
    void ndcg_idealOrder_isOne() {
        assertEquals(1.0, RankingMetrics.ndcg(new double[] {3, 2, 1, 0}, 4), EPS);
    }

    @Test
    void ndcg_tiesInGrades() {
        // Equal grades in either order are both ideal.
        assertEquals(1.0, RankingMetrics.ndcg(new double[] {2, 2, 0}, 3), EPS);
        // DCG = 2/1 + 0 + 2/log2(4) = 3; IDCG = 2/1 + 2/log2(3) = 3.2618595071; NDCG = 0.9197207891
        assertEquals(0.9197207891, RankingMetrics.ndcg(new double[] {2, 0, 2}, 3), EPS);
    }

    @Test
    void ndcg_noRelevantDocument_isZero() {
        // IDCG = 0, so NDCG is defined as 0 rather than 0/0.
        assertEquals(0.0, RankingMetrics.ndcg(new double[] {0, 0, 0}, 3));
    }

    @Test
    void ndcg_emptyList_isZero() {
        assertEquals(0.0, RankingMetrics.ndcg(new double[0], 10));
    }

    @Test
    void ndcg_kLargerThanList() {
        // k = 10 on 2 documents is k = 2: DCG = 1/log2(3) = 0.6309297536; IDCG = 1/1; NDCG = 0.6309297536
        assertEquals(0.6309297536, RankingMetrics.ndcg(new double[] {0, 1}, 10), EPS);
        assertEquals(RankingMetrics.ndcg(new double[] {0, 1}, 2), RankingMetrics.ndcg(new double[] {0, 1}, 10));
    }

    @Test
    void ndcg_kIsOne() {
        // DCG@1 = 1/1 = 1; IDCG@1 takes the best grade of the whole list, 3/1; NDCG = 1/3
        assertEquals(1.0 / 3, RankingMetrics.ndcg(new double[] {1, 3, 2}, 1), EPS);
    }

    @Test
    void ndcg_relevantAtLastPosition() {
        // DCG = 1/log2(6) = 0.3868528072; IDCG = 1/1
        assertEquals(0.3868528072, RankingMetrics.ndcg(new double[] {0, 0, 0, 0, 1}, 5), EPS);
        // with k = 4 the only relevant document is cut off
        assertEquals(0.0, RankingMetrics.ndcg(new double[] {0, 0, 0, 0, 1}, 4));
    }

    @Test
    void reciprocalRank_firstRelevantAtRankThree() {
        // the second relevant document (rank 4) does not count
        assertEquals(1.0 / 3, RankingMetrics.reciprocalRank(new double[] {0, 0, 1, 1}, 10), EPS);
    }

    @Test
    void reciprocalRank_graded_anyPositiveGradeIsRelevant() {
        // 0.5 at rank 2 counts as relevant even though a 3 follows
        assertEquals(0.5, RankingMetrics.reciprocalRank(new double[] {0, 0.5, 3}, 10), EPS);
    }

    @Test
    void reciprocalRank_relevantBeyondK_isZero() {
        assertEquals(0.0, RankingMetrics.reciprocalRank(new double[] {0, 0, 1}, 2));
    }

    @Test
    void reciprocalRank_kIsOne() {
        assertEquals(1.0, RankingMetrics.reciprocalRank(new double[] {1, 0}, 1));
        assertEquals(0.0, RankingMetrics.reciprocalRank(new double[] {0, 1}, 1));
    }

    @Test
    void reciprocalRank_relevantAtLastPosition() {
        // rank 5 of 5: 1/5
        assertEquals(0.2, RankingMetrics.reciprocalRank(new double[] {0, 0, 0, 0, 1}, 5), EPS);
    }

    @Test
    void reciprocalRank_kLargerThanList() {
        assertEquals(0.5, RankingMetrics.reciprocalRank(new double[] {0, 1}, 100), EPS);
    }

    @Test
    void reciprocalRank_noRelevantDocument_isZero() {
        assertEquals(0.0, RankingMetrics.reciprocalRank(new double[] {0, 0}, 10));
    }

    @Test
    void averagePrecision_binary() {
        // relevant at ranks 1, 3, 6: P@1 = 1/1, P@3 = 2/3, P@6 = 3/6
        // AP = (1 + 0.6666666667 + 0.5) / 3 = 2.1666666667 / 3 = 13/18 = 0.7222222222
        assertEquals(13.0 / 18, RankingMetrics.averagePrecision(new double[] {1, 0, 1, 0, 0, 1}), EPS);
    }

    @Test
    void averagePrecision_graded_countsAnyPositiveGradeAsRelevant() {
        // relevant at ranks 1, 3: (1/1 + 2/3) / 2 = 5/6 = 0.8333333333
        assertEquals(5.0 / 6, RankingMetrics.averagePrecision(new double[] {3, 0, 0.5}), EPS);
    }

    @Test
    void averagePrecision_relevantAtLastPosition() {
        // one relevant document, at rank 4: P@4 = 1/4
        assertEquals(0.25, RankingMetrics.averagePrecision(new double[] {0, 0, 0, 1}), EPS);
    }

    @Test
    void averagePrecision_noRelevantDocument_isZero() {
        assertEquals(0.0, RankingMetrics.averagePrecision(new double[] {0, 0, 0}));
    }

    @Test
    void recall_binary() {
        // 3 relevant, 2 of them (ranks 1 and 3) in the top 3: 2/3
        assertEquals(2.0 / 3, RankingMetrics.recall(new double[] {1, 0, 1, 0, 1}, 3), EPS);
    }

    @Test
    void recall_kLargerThanList_isOne() {
        assertEquals(1.0, RankingMetrics.recall(new double[] {0, 2, 0, 1}, 10));
    }

    @Test
    void recall_kIsOne() {
        // 2 relevant, 1 in the top 1: 1/2
        assertEquals(0.5, RankingMetrics.recall(new double[] {1, 1, 0}, 1), EPS);
        assertEquals(0.0, RankingMetrics.recall(new double[] {0, 1}, 1));
    }

    @Test
    void recall_relevantAtLastPosition() {
        assertEquals(1.0, RankingMetrics.recall(new double[] {0, 0, 1}, 3));
        assertEquals(0.0, RankingMetrics.recall(new double[] {0, 0, 1}, 2));
    }

    @Test
    void recall_noRelevantDocument_isZero() {
        assertEquals(0.0, RankingMetrics.recall(new double[] {0, 0}, 10));
    }

    @Test
    void kBelowOne_throwsNamingK() {
        double[] relevance = {1, 0};
        assertAll(
                () -> assertMessage("k must be at least 1, was 0", () -> RankingMetrics.ndcg(relevance, 0)),
                () -> assertMessage("k must be at least 1, was -1", () -> RankingMetrics.reciprocalRank(relevance, -1)),
                () -> assertMessage("k must be at least 1, was 0", () -> RankingMetrics.recall(relevance, 0)));
    }

    @Test
    void negativeGrade_throwsNamingIndex() {
        double[] relevance = {1, -1};
        assertAll(
                () -> assertMessage("relevance[1] must be a finite number >= 0, was -1.0",
                        () -> RankingMetrics.ndcg(relevance, 10)),
                () -> assertMessage("relevance[1] must be a finite number >= 0, was -1.0",
                        () -> RankingMetrics.averagePrecision(relevance)));
    }

    @Test
    void nanGrade_throwsNamingIndex() {
        double[] relevance = {Double.NaN, 1};
        assertAll(
                () -> assertMessage("relevance[0] must be a finite number >= 0, was NaN",
                        () -> RankingMetrics.reciprocalRank(relevance, 10)),
                () -> assertMessage("relevance[0] must be a finite number >= 0, was NaN",
                        () -> RankingMetrics.recall(relevance, 10)));
    }

    @Test
    void infiniteGrade_throwsNamingIndex() {
        // an infinite grade would make NDCG infinity / infinity = NaN
        assertMessage("relevance[2] must be a finite number >= 0, was Infinity",
                () -> RankingMetrics.ndcg(new double[] {0, 1, Double.POSITIVE_INFINITY}, 10));
    }

    @Test
    void badGradeBeyondK_stillThrows() {
        // a cut-off does not hide a broken judgment
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.ndcg(new double[] {1, 0, -2}, 1));
    }

    @Test
    void nullRelevance_throwsNamingIt() {
        assertAll(
                () -> assertEquals("relevance", assertThrows(NullPointerException.class,
                        () -> RankingMetrics.ndcg(null, 10)).getMessage()),
                () -> assertEquals("relevance", assertThrows(NullPointerException.class,
                        () -> RankingMetrics.averagePrecision(null)).getMessage()));
    }

    @Test
    void rankByScore_highestScoreFirst() {
        // scores 0.1, 0.9, 0.5 rank documents 1, 2, 0
        assertArrayEquals(new double[] {1, 2, 0},
                RankingMetrics.rankByScore(new float[] {0.1f, 0.9f, 0.5f}, new double[] {0, 1, 2}));
    }

    @Test
    void rankByScore_tiedScores_lessRelevantFirst() {
        // documents 0, 1, 2 tie at 0.5: grades 2, 0, 1 go 0, 1, 2; document 3 scores lower
        assertArrayEquals(new double[] {0, 1, 2, 3},
                RankingMetrics.rankByScore(new float[] {0.5f, 0.5f, 0.5f, 0.2f}, new double[] {2, 0, 1, 3}));
    }

    @Test
    void rankByScore_constantScores_getNoCreditForListOrder() {
        // candidates listed relevant-first, every score equal: ranked 0, 0, 1, 1
        double[] ranked = RankingMetrics.rankByScore(new float[] {0.7f, 0.7f, 0.7f, 0.7f}, new double[] {1, 1, 0, 0});
        assertArrayEquals(new double[] {0, 0, 1, 1}, ranked);
        // DCG = 1/log2(4) + 1/log2(5) = 0.5 + 0.4306765581 = 0.9306765581; IDCG = 1 + 1/log2(3) = 1.6309297536
        // NDCG = 0.5706417190 (input order would have scored 1.0)
        assertEquals(0.5706417190, RankingMetrics.ndcg(ranked, 4), EPS);
        assertEquals(1.0 / 3, RankingMetrics.reciprocalRank(ranked, 4), EPS);
    }

    @Test
    void rankByScore_nanScoresRankLast() {
        // NaN ranks below even negative infinity; the two NaNs tie, so the less relevant goes first
        assertArrayEquals(new double[] {0, 3, 1, 2}, RankingMetrics.rankByScore(
                new float[] {Float.NaN, Float.NEGATIVE_INFINITY, Float.NaN, 0.3f},
                new double[] {2, 3, 1, 0}));
    }

    @Test
    void rankByScore_signedZerosTie() {
        // 0.0 and -0.0 are the same score, so the less relevant goes first
        assertArrayEquals(new double[] {0, 1},
                RankingMetrics.rankByScore(new float[] {0.0f, -0.0f}, new double[] {1, 0}));
    }

    @Test
    void rankByScore_leavesInputsAlone() {
        float[] scores = {0.1f, 0.9f};
        double[] relevance = {1, 0};
        RankingMetrics.rankByScore(scores, relevance);
        assertArrayEquals(new float[] {0.1f, 0.9f}, scores);
        assertArrayEquals(new double[] {1, 0}, relevance);
    }

    @Test
    void rankByScore_lengthsDiffer_throws() {
        assertMessage("scores and relevance differ in length: scores.length = 2, relevance.length = 3",
                () -> RankingMetrics.rankByScore(new float[] {1, 2}, new double[] {0, 1, 0}));
    }

    @Test
    void rankByScore_badGrade_throwsNamingIndex() {
        assertMessage("relevance[1] must be a finite number >= 0, was NaN",
                () -> RankingMetrics.rankByScore(new float[] {1, 2}, new double[] {0, Double.NaN}));
    }

    @Test
    void rankByScore_nullScores_throwsNamingThem() {
        assertEquals("scores", assertThrows(NullPointerException.class,
                () -> RankingMetrics.rankByScore(null, new double[] {1})).getMessage());
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
