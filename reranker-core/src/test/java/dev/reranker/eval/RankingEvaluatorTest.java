package dev.reranker.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reranker.Reranker;
import dev.reranker.RerankerException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

/*
 * Discounts: 1/log2(2) = 1, 1/log2(3) = 0.6309297536, 1/log2(4) = 0.5, 1/log2(5) = 0.4306765581.
 */
final class RankingEvaluatorTest {

    private static final double EPS = 1e-9;

    /*
     * Word overlap (distinct query words found in the document):
     *   "capital of france" = {capital, of, france}
     *     relevant  "Paris is the capital of France."      3
     *               "Berlin is the capital of Germany."    2
     *               "France borders Spain."                1
     *               "Bananas are yellow."                  0
     *     -> relevant at rank 1: NDCG 1, RR 1, AP 1, recall 1
     *   "how tall is the eiffel tower" = {how, tall, is, the, eiffel, tower}
     *     relevant  "The tower is 330 metres high."        3 (the, tower, is)
     *               "How tall is the Eiffel Tower in Las Vegas?"  6
     *               "The Eiffel Tower is in Paris."        4
     *               "Is the tower open?"                   3 (is, the, tower): ties with the relevant one
     *     -> ranked 6, 4, 3 (irrelevant first on the tie), 3 (relevant): relevant at rank 4
     *        NDCG = (1/log2(5)) / 1 = 0.4306765581, RR = 1/4, AP = 1/4, recall@10 = 1
     */
    private static final JudgedQuery FRANCE = JudgedQuery.binary("capital of france",
            List.of("Paris is the capital of France."),
            List.of("Berlin is the capital of Germany.", "France borders Spain.", "Bananas are yellow."));
    private static final JudgedQuery EIFFEL = JudgedQuery.binary("how tall is the eiffel tower",
            List.of("The tower is 330 metres high."),
            List.of("How tall is the Eiffel Tower in Las Vegas?", "The Eiffel Tower is in Paris.",
                    "Is the tower open?"));
    private static final JudgedQuery NO_POSITIVE = JudgedQuery.binary("where is atlantis",
            List.of(), List.of("Atlantis is a legend.", "Plato wrote about it."));

    @Test
    void evaluate_wordOverlapReranker() {
        Evaluation result = RankingEvaluator.builder().k(10).build()
                .evaluate(new WordOverlapReranker(), List.of(FRANCE, EIFFEL));
        // NDCG = (1 + 0.4306765581) / 2 = 0.7153382790
        assertEquals(0.7153382790, result.ndcg(), EPS);
        // MRR = (1 + 1/4) / 2 = 0.625; MAP likewise
        assertEquals(0.625, result.mrr(), EPS);
        assertEquals(0.625, result.map(), EPS);
        // both relevant documents are inside the top 10
        assertEquals(1.0, result.recall(), EPS);
        assertEquals(2, result.queries());
        assertEquals(0, result.skipped());
    }

    @Test
    void evaluate_kCutsNdcgMrrRecallButNotMap() {
        // k = 3: EIFFEL's relevant document (rank 4) drops out of NDCG, MRR and recall, not of AP.
        // NDCG = (1 + 0) / 2 = 0.5; MRR = (1 + 0) / 2 = 0.5; recall = (1 + 0) / 2 = 0.5;
        // MAP = (1 + 1/4) / 2 = 0.625
        Evaluation result = RankingEvaluator.builder().k(3).build()
                .evaluate(new WordOverlapReranker(), List.of(FRANCE, EIFFEL));
        assertEquals(new Evaluation(3, 0.5, 0.5, 0.625, 0.5, 2, 0), result);
    }

    @Test
    void evaluate_kIsOne() {
        // Only rank 1 counts: FRANCE 1, EIFFEL 0 for NDCG, MRR and recall; MAP still (1 + 1/4) / 2
        Evaluation result = RankingEvaluator.builder().k(1).build()
                .evaluate(new WordOverlapReranker(), List.of(FRANCE, EIFFEL));
        assertEquals(new Evaluation(1, 0.5, 0.5, 0.625, 0.5, 2, 0), result);
    }

    @Test
    void evaluate_kDefaultsToTen() {
        Evaluation result = RankingEvaluator.builder().build().evaluate(new WordOverlapReranker(), List.of(FRANCE));
        assertEquals(10, result.k());
        assertEquals(List.of("ndcg@10", "mrr@10", "map", "recall@10"), List.copyOf(result.metrics().keySet()));
    }

    @Test
    void evaluate_gradedRelevance() {
        // scores 0.9, 0.5, 0.1 rank a, b, c; grades 0, 2, 1 -> ranked grades 0, 2, 1
        // DCG  = 0 + 2/log2(3) + 1/log2(4) = 1.2618595071 + 0.5 = 1.7618595071
        // IDCG = 2 + 1/log2(3)             = 2.6309297536
        // NDCG = 0.6696718165; RR = 1/2; AP = (1/2 + 2/3) / 2 = 7/12; recall = 1
        JudgedQuery graded = new JudgedQuery("q", List.of("a", "b", "c"), List.of(0.0, 2.0, 1.0));
        Reranker reranker = new FixedScores(Map.of("a", 0.9f, "b", 0.5f, "c", 0.1f));
        Evaluation result = RankingEvaluator.builder().build().evaluate(reranker, List.of(graded));
        assertEquals(0.6696718165, result.ndcg(), EPS);
        assertEquals(0.5, result.mrr(), EPS);
        assertEquals(7.0 / 12, result.map(), EPS);
        assertEquals(1.0, result.recall(), EPS);
    }

    @Test
    void evaluate_tiedScores_rankLessRelevantFirst() {
        // Every score 0.5 and the relevant document listed first: ranked 0, 0, 1.
        // NDCG = (1/log2(4)) / 1 = 0.5; RR = 1/3; AP = 1/3; recall@10 = 1
        JudgedQuery query = JudgedQuery.binary("q", List.of("r"), List.of("i1", "i2"));
        Reranker constant = new FixedScores(Map.of("r", 0.5f, "i1", 0.5f, "i2", 0.5f));
        Evaluation result = RankingEvaluator.builder().build().evaluate(constant, List.of(query));
        assertEquals(0.5, result.ndcg(), EPS);
        assertEquals(1.0 / 3, result.mrr(), EPS);
        assertEquals(1.0 / 3, result.map(), EPS);
        assertEquals(1.0, result.recall(), EPS);
    }

    @Test
    void evaluate_documentOrderDoesNotChangeTheResult() {
        JudgedQuery shuffled = new JudgedQuery(EIFFEL.query(),
                List.of(EIFFEL.documents().get(3), EIFFEL.documents().get(0), EIFFEL.documents().get(2),
                        EIFFEL.documents().get(1)),
                List.of(0.0, 1.0, 0.0, 0.0));
        RankingEvaluator evaluator = RankingEvaluator.builder().build();
        assertEquals(evaluator.evaluate(new WordOverlapReranker(), List.of(EIFFEL)),
                evaluator.evaluate(new WordOverlapReranker(), List.of(shuffled)));
    }

    @Test
    void evaluate_skipsAndCountsQueriesWithoutRelevantDocument() {
        RankingEvaluator evaluator = RankingEvaluator.builder().build();
        WordOverlapReranker reranker = new WordOverlapReranker();
        Evaluation result = evaluator.evaluate(reranker, List.of(FRANCE, NO_POSITIVE, EIFFEL));
        // the same means as over FRANCE and EIFFEL alone; NO_POSITIVE is counted, not averaged in as 0
        Evaluation withoutIt = evaluator.evaluate(new WordOverlapReranker(), List.of(FRANCE, EIFFEL));
        assertEquals(withoutIt.metrics(), result.metrics());
        assertEquals(0.7153382790, result.ndcg(), EPS);
        assertEquals(2, result.queries());
        assertEquals(1, result.skipped());
        // and the model never ran on it
        assertEquals(List.of(FRANCE.query(), EIFFEL.query()), reranker.queries);
    }

    @Test
    void evaluate_queryWithoutDocuments_isSkipped() {
        JudgedQuery empty = new JudgedQuery("q", List.of(), List.of());
        Evaluation result = RankingEvaluator.builder().build()
                .evaluate(new WordOverlapReranker(), List.of(empty, FRANCE));
        assertEquals(1, result.queries());
        assertEquals(1, result.skipped());
    }

    @Test
    void evaluate_noQueryHasRelevantDocument_throwsBeforeScoring() {
        WordOverlapReranker reranker = new WordOverlapReranker();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankingEvaluator.builder().build().evaluate(reranker, List.of(NO_POSITIVE, NO_POSITIVE)));
        assertEquals("no query has a relevant document (a grade above 0), so there is nothing to measure;"
                + " got 2 queries", e.getMessage());
        assertEquals(List.of(), reranker.queries);
    }

    @Test
    void evaluate_emptyQueries_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankingEvaluator.builder().build().evaluate(new WordOverlapReranker(), List.of()));
        assertEquals("queries must not be empty", e.getMessage());
    }

    @Test
    void evaluate_nullReranker_throwsNamingIt() {
        assertEquals("reranker", assertThrows(NullPointerException.class,
                () -> RankingEvaluator.builder().build().evaluate(null, List.of(FRANCE))).getMessage());
    }

    @Test
    void evaluate_nullQueries_throwsNamingThem() {
        assertEquals("queries", assertThrows(NullPointerException.class,
                () -> RankingEvaluator.builder().build().evaluate(new WordOverlapReranker(), null)).getMessage());
    }

    @Test
    void evaluate_nullQuery_throwsNamingIndexBeforeScoring() {
        WordOverlapReranker reranker = new WordOverlapReranker();
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> RankingEvaluator.builder().build().evaluate(reranker, Arrays.asList(FRANCE, null)));
        assertEquals("queries[1] must not be null", e.getMessage());
        assertEquals(List.of(), reranker.queries);
    }

    @Test
    void evaluate_wrongNumberOfScores_throws() {
        Reranker broken = new Scripted((query, documents) -> new float[documents.size() - 1]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RankingEvaluator.builder().build().evaluate(broken, List.of(NO_POSITIVE, FRANCE)));
        assertEquals("the reranker returned 3 scores for the 4 documents of queries[1]", e.getMessage());
    }

    @Test
    void evaluate_rerankerFailure_propagatesUnchanged() {
        RerankerException failure = new RerankerException("out of memory");
        Reranker failing = new Scripted((query, documents) -> {
            throw failure;
        });
        assertSame(failure, assertThrows(RerankerException.class,
                () -> RankingEvaluator.builder().build().evaluate(failing, List.of(FRANCE))));
    }

    @Test
    void builder_kBelowOne_throwsNamingK() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankingEvaluator.builder().k(0));
        assertEquals("k must be at least 1, was 0", e.getMessage());
    }

    @Test
    void builder_kLargerThanEveryList_measuresWholeLists() {
        // k = 1000 on lists of 4 documents measures all 4, as k = 4 does
        Evaluation atFour = RankingEvaluator.builder().k(4).build()
                .evaluate(new WordOverlapReranker(), List.of(FRANCE, EIFFEL));
        Evaluation result = RankingEvaluator.builder().k(1000).build()
                .evaluate(new WordOverlapReranker(), List.of(FRANCE, EIFFEL));
        assertEquals(new Evaluation(1000, atFour.ndcg(), atFour.mrr(), atFour.map(), atFour.recall(), 2, 0), result);
        assertEquals(0.7153382790, result.ndcg(), EPS);
    }

    /** Scores a document by how many distinct query words it contains, ignoring case; records each query. */
    private static final class WordOverlapReranker implements Reranker {

        final List<String> queries = new ArrayList<>();

        @Override
        public float[] score(String query, List<String> documents) {
            queries.add(query);
            Set<String> terms = words(query);
            float[] scores = new float[documents.size()];
            for (int i = 0; i < scores.length; i++) {
                Set<String> shared = words(documents.get(i));
                shared.retainAll(terms);
                scores[i] = shared.size();
            }
            return scores;
        }

        private static Set<String> words(String text) {
            return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("\\W+")));
        }

        @Override
        public void close() {}
    }

    /** Gives each document the score in the map. */
    private static final class FixedScores implements Reranker {

        private final Map<String, Float> scores;

        FixedScores(Map<String, Float> scores) {
            this.scores = scores;
        }

        @Override
        public float[] score(String query, List<String> documents) {
            float[] out = new float[documents.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = scores.get(documents.get(i));
            }
            return out;
        }

        @Override
        public void close() {}
    }

    /** Answers with the given function, for rerankers that break their contract. */
    private static final class Scripted implements Reranker {

        private final BiFunction<String, List<String>, float[]> score;

        Scripted(BiFunction<String, List<String>, float[]> score) {
            this.score = score;
        }

        @Override
        public float[] score(String query, List<String> documents) {
            return score.apply(query, documents);
        }

        @Override
        public void close() {}
    }
}
