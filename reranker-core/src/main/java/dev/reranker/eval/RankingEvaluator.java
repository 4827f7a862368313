package dev.reranker.eval;

import dev.reranker.Reranker;
import dev.reranker.RerankerException;

import java.util.List;
import java.util.Objects;

/**
 * Measures how well a {@link Reranker} ranks candidates whose relevance is known: NDCG@k, MRR@k,
 * MAP and recall@k, averaged over queries.
 *
 * <pre>{@code
 * RankingEvaluator evaluator = RankingEvaluator.builder().k(10).build();
 * Evaluation result = evaluator.evaluate(reranker, judgedQueries);
 * Map<String, Double> metrics = result.metrics();  // {ndcg@10=..., mrr@10=..., map=..., recall@10=...}
 * }</pre>
 *
 * <p>Each query's documents are scored with one {@link Reranker#score} call and ranked by score,
 * best first. Among equal scores the less relevant document is ranked first (see
 * {@link RankingMetrics#rankByScore}), so ties never earn credit from the order in which the
 * candidates were listed. Queries without a relevant document are skipped without calling the
 * reranker, and counted in {@link Evaluation#skipped()}.
 *
 * <p>An evaluator is immutable and thread-safe. It does not close the reranker.
 */
public final class RankingEvaluator {

    private final int k;

    private RankingEvaluator(Builder builder) {
        this.k = builder.k;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores and ranks every query's documents with the reranker and averages the metrics over the
     * queries that have a relevant document.
     *
     * @param queries the judged queries; at least one must have a document with a grade above 0
     * @throws NullPointerException naming {@code reranker}, {@code queries} or the first
     *     {@code null} element
     * @throws IllegalArgumentException if {@code queries} is empty or no query has a relevant
     *     document; checked before the reranker is called
     * @throws IllegalStateException if the reranker returns a different number of scores than
     *     documents
     * @throws RerankerException from the reranker, unchanged
     */
    public Evaluation evaluate(Reranker reranker, List<JudgedQuery> queries) {
        Objects.requireNonNull(reranker, "reranker");
        Objects.requireNonNull(queries, "queries");
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("queries must not be empty");
        }
        int judged = 0;
        int i = 0;
        for (JudgedQuery query : queries) {
            if (query == null) {
                throw new NullPointerException("queries[" + i + "] must not be null");
            }
            if (query.hasRelevantDocument()) {
                judged++;
            }
            i++;
        }
        // Checked before any scoring: a model run over the whole set should not end in this.
        if (judged == 0) {
            throw new IllegalArgumentException("no query has a relevant document (a grade above 0), so there is"
                    + " nothing to measure; got " + queries.size() + " queries");
        }
        double ndcg = 0;
        double mrr = 0;
        double map = 0;
        double recall = 0;
        i = 0;
        for (JudgedQuery query : queries) {
            int index = i++;
            if (!query.hasRelevantDocument()) {
                continue;
            }
            float[] scores = reranker.score(query.query(), query.documents());
            if (scores == null || scores.length != query.documents().size()) {
                throw new IllegalStateException("the reranker returned "
                        + (scores == null ? "null" : scores.length + " scores") + " for the "
                        + query.documents().size() + " documents of queries[" + index + "]");
            }
            double[] ranked = RankingMetrics.rankByScore(scores, query.grades());
            ndcg += RankingMetrics.ndcg(ranked, k);
            mrr += RankingMetrics.reciprocalRank(ranked, k);
            map += RankingMetrics.averagePrecision(ranked);
            recall += RankingMetrics.recall(ranked, k);
        }
        return new Evaluation(k, ndcg / judged, mrr / judged, map / judged, recall / judged,
                judged, queries.size() - judged);
    }

    @Override
    public String toString() {
        return "RankingEvaluator{k=" + k + "}";
    }

    /** Configures a {@link RankingEvaluator}. Each setter checks its argument. */
    public static final class Builder {

        private int k = 10;

        private Builder() {}

        /**
         * The cut-off of NDCG, MRR and recall (default 10); MAP always uses the whole list. A query
         * with fewer documents than {@code k} is measured over all of them.
         */
        public Builder k(int k) {
            RankingMetrics.checkK(k);
            this.k = k;
            return this;
        }

        public RankingEvaluator build() {
            return new RankingEvaluator(this);
        }
    }
}
