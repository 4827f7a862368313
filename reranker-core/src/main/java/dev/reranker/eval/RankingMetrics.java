package dev.reranker.eval;

import dev.reranker.internal.Ranking;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-query ranking metrics over relevance grades listed in rank order: {@code relevance[0]} is the
 * grade of the document ranked first. A grade is a finite number {@code >= 0}; for the binary
 * metrics (reciprocal rank, average precision, recall) any grade above 0 counts as relevant.
 *
 * <p>A cut-off {@code k} keeps the top {@code k} ranks; {@code k} larger than the list keeps the
 * whole list. Every metric is in {@code [0, 1]} and is 0 for a list without a relevant document.
 *
 * <p>To turn a model's scores into rank order, use {@link #rankByScore(float[], double[])}.
 */
public final class RankingMetrics {

    private static final double LN_2 = Math.log(2);

    private RankingMetrics() {}

    /**
     * Normalised discounted cumulative gain at {@code k}: {@code DCG@k / IDCG@k}, where
     * {@code DCG@k = sum over i = 1..min(k, n) of rel_i / log2(i + 1)} and {@code IDCG@k} is the
     * DCG@k of the same grades sorted best first.
     *
     * <p>The gain is the grade itself ({@code rel_i}), not {@code 2^rel_i - 1}; this is the gain
     * scikit-learn's {@code ndcg_score} and so sentence-transformers use. For binary grades the two
     * agree.
     *
     * @param relevanceInRankOrder the grade of each document, best-ranked first
     * @param k how many ranks count; at least 1
     * @return a value in {@code [0, 1]}; 0 when no document is relevant
     * @throws IllegalArgumentException if {@code k < 1} or a grade is negative or not finite
     */
    public static double ndcg(double[] relevanceInRankOrder, int k) {
        checkK(k);
        checkRelevance(relevanceInRankOrder);
        double[] ideal = relevanceInRankOrder.clone();
        Arrays.sort(ideal);
        reverse(ideal);
        double idealDcg = dcg(ideal, k);
        // DCG <= IDCG, but the two sums round separately; keep a near-ideal ranking from reaching 1 + ulp.
        return idealDcg == 0 ? 0 : Math.min(1.0, dcg(relevanceInRankOrder, k) / idealDcg);
    }

    /**
     * Reciprocal rank at {@code k}: {@code 1 / rank} of the first relevant document among the top
     * {@code k}, or 0 if there is none. Averaged over queries this is MRR@k.
     *
     * @param k how many ranks count; at least 1
     * @throws IllegalArgumentException if {@code k < 1} or a grade is negative or not finite
     */
    public static double reciprocalRank(double[] relevanceInRankOrder, int k) {
        checkK(k);
        checkRelevance(relevanceInRankOrder);
        int n = Math.min(k, relevanceInRankOrder.length);
        for (int i = 0; i < n; i++) {
            if (relevanceInRankOrder[i] > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    /**
     * Average precision over the whole list (no cut-off): the mean, over the ranks that hold a
     * relevant document, of the precision at that rank. Averaged over queries this is MAP.
     *
     * @return a value in {@code [0, 1]}; 0 when no document is relevant
     * @throws IllegalArgumentException if a grade is negative or not finite
     */
    public static double averagePrecision(double[] relevanceInRankOrder) {
        checkRelevance(relevanceInRankOrder);
        int relevant = 0;
        double sum = 0;
        for (int i = 0; i < relevanceInRankOrder.length; i++) {
            if (relevanceInRankOrder[i] > 0) {
                relevant++;
                sum += (double) relevant / (i + 1);
            }
        }
        return relevant == 0 ? 0 : sum / relevant;
    }

    /**
     * Recall at {@code k}: the share of all relevant documents that are among the top {@code k}.
     *
     * @param k how many ranks count; at least 1
     * @return a value in {@code [0, 1]}; 0 when no document is relevant
     * @throws IllegalArgumentException if {@code k < 1} or a grade is negative or not finite
     */
    public static double recall(double[] relevanceInRankOrder, int k) {
        checkK(k);
        checkRelevance(relevanceInRankOrder);
        int n = Math.min(k, relevanceInRankOrder.length);
        int found = 0;
        int relevant = 0;
        for (int i = 0; i < relevanceInRankOrder.length; i++) {
            if (relevanceInRankOrder[i] > 0) {
                relevant++;
                if (i < n) {
                    found++;
                }
            }
        }
        return relevant == 0 ? 0 : (double) found / relevant;
    }

    /**
     * Puts the grades in the order a model's scores rank the documents: highest score first, and a
     * NaN score after every other.
     *
     * <p>Among documents with equal scores the <em>less</em> relevant comes first (a pessimistic
     * tie-break). Candidate lists are often written relevant-first (as
     * {@link JudgedQuery#binary} does), so keeping input order would hand a model that gives
     * every document the same score, or saturates several at the same probability, a perfect
     * ranking it did not make. Under this rule a tie never helps. This differs on purpose from
     * {@link dev.reranker.Reranker#rerank}, which keeps input order among ties. (Where scores tie,
     * sentence-transformers' figures differ from ours: scikit-learn's NDCG averages the gain over a
     * tie, and its MRR takes whatever order numpy's argsort leaves.)
     *
     * @param scores one score per document, in input order; higher is more relevant
     * @param relevance one grade per document, in the same order
     * @return a new array of the grades in rank order
     * @throws IllegalArgumentException if the arrays differ in length, or a grade is negative or not
     *     finite
     */
    public static double[] rankByScore(float[] scores, double[] relevance) {
        Objects.requireNonNull(scores, "scores");
        checkRelevance(relevance);
        if (scores.length != relevance.length) {
            throw new IllegalArgumentException("scores and relevance differ in length: scores.length = "
                    + scores.length + ", relevance.length = " + relevance.length);
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byScore = Ranking.compareDescending(scores[a], scores[b]);
            return byScore != 0 ? byScore : Double.compare(relevance[a], relevance[b]);
        });
        double[] ranked = new double[order.length];
        for (int i = 0; i < ranked.length; i++) {
            ranked[i] = relevance[order[i]];
        }
        return ranked;
    }

    private static double dcg(double[] relevanceInRankOrder, int k) {
        int n = Math.min(k, relevanceInRankOrder.length);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += relevanceInRankOrder[i] / log2(i + 2); // rank i + 1 is discounted by log2(rank + 1)
        }
        return sum;
    }

    private static double log2(int x) {
        return Math.log(x) / LN_2;
    }

    private static void reverse(double[] values) {
        for (int i = 0, j = values.length - 1; i < j; i++, j--) {
            double t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
    }

    private static void checkRelevance(double[] relevance) {
        Objects.requireNonNull(relevance, "relevance");
        for (int i = 0; i < relevance.length; i++) {
            checkGrade(relevance[i], i);
        }
    }

    static void checkGrade(double grade, int index) {
        if (!(grade >= 0) || Double.isInfinite(grade)) {
            throw new IllegalArgumentException(
                    "relevance[" + index + "] must be a finite number >= 0, was " + grade);
        }
    }
}
