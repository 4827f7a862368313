/**
 * Measuring how well a {@link dev.reranker.Reranker} ranks documents whose relevance is known.
 *
 * <p>Describe each query with a {@link dev.reranker.eval.JudgedQuery} (its candidate documents and
 * their relevance grades), then run a {@link dev.reranker.eval.RankingEvaluator}:
 *
 * <pre>{@code
 * List<JudgedQuery> queries = List.of(
 *         JudgedQuery.binary("capital of France", List.of("Paris is the capital of France."),
 *                 List.of("Berlin is the capital of Germany.", "Lyon is in France.")));
 * Evaluation result = RankingEvaluator.builder().k(10).build().evaluate(reranker, queries);
 * System.out.println(result);  // NDCG@10 ..., MRR@10 ..., MAP ..., Recall@10 ... over 1 query
 * }</pre>
 *
 * <p>{@link dev.reranker.eval.RankingMetrics} holds the per-query metrics themselves, for rankings
 * that come from elsewhere. No argument or result in this package is {@code null}; a {@code null}
 * argument throws {@link NullPointerException} naming it.
 */
package dev.reranker.eval;
