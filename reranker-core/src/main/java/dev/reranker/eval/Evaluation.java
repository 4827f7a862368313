package dev.reranker.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a {@link RankingEvaluator} run: each metric is the mean of its per-query value
 * (see {@link RankingMetrics}) over the {@code queries} that were evaluated.
 *
 * <p>Queries without a relevant document are not in the means, only in {@code skipped}: no
 * ranking of them can be better or worse than another. sentence-transformers'
 * {@code CrossEncoderRerankingEvaluator} (v4) counts such a query as 0 for every metric instead; to
 * compare with its figures, multiply ours by {@code queries / (queries + skipped)}.
 *
 * <p>The constructor throws {@link IllegalArgumentException} for {@code k < 1}, a metric outside
 * {@code [0, 1]} (or NaN), {@code queries < 1} or {@code skipped < 0}.
 *
 * @param k the cut-off of NDCG, MRR and recall
 * @param ndcg mean NDCG@k
 * @param mrr mean reciprocal rank at k
 * @param map mean average precision over each query's whole list (no cut-off)
 * @param recall mean recall at k
 * @param queries how many queries the means are over; at least 1
 * @param skipped how many queries were left out because no document was relevant
 */
public record Evaluation(int k, double ndcg, double mrr, double map, double recall, int queries, int skipped) {

    public Evaluation {
        RankingMetrics.checkK(k);
        checkMetric("ndcg", ndcg);
        checkMetric("mrr", mrr);
        checkMetric("map", map);
        checkMetric("recall", recall);
        if (queries < 1) {
            throw new IllegalArgumentException("queries must be at least 1, was " + queries);
        }
        if (skipped < 0) {
            throw new IllegalArgumentException("skipped must not be negative, was " + skipped);
        }
    }

    /**
     * The metrics by name, in the order {@code ndcg@k}, {@code mrr@k}, {@code map},
     * {@code recall@k} (for example {@code ndcg@10}), spelled as sentence-transformers spells its
     * reranking metrics.
     *
     * @return an unmodifiable map that iterates in that order
     */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("ndcg@" + k, ndcg);
        metrics.put("mrr@" + k, mrr);
        metrics.put("map", map);
        metrics.put("recall@" + k, recall);
        return Collections.unmodifiableMap(metrics);
    }

    /**
     * For example {@code NDCG@10 0.6123, MRR@10 0.5800, MAP 0.5511, Recall@10 0.9000 over 200
     * queries (3 skipped: no relevant document)}.
     */
    @Override
    public String toString() {
        String text = String.format(Locale.ROOT, "NDCG@%d %.4f, MRR@%d %.4f, MAP %.4f, Recall@%d %.4f over %d %s",
                k, ndcg, k, mrr, map, k, recall, queries, queries == 1 ? "query" : "queries");
        return skipped == 0 ? text : text + " (" + skipped + " skipped: no relevant document)";
    }

    private static void checkMetric(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }
}
