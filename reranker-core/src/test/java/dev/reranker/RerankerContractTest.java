package dev.reranker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Reranker} contract. Every implementation's tests extend this class (it ships in
 * reranker-core's test-jar) and supply a reranker; the rules below then hold for all of them.
 */
public abstract class RerankerContractTest {

    protected static final String QUERY = "what is a panda?";
    protected static final List<String> DOCS = List.of(
            "The giant panda is a bear native to China.",
            "Penguins live in Antarctica.",
            "",
            "Pandas eat bamboo for most of the day.");

    private Reranker reranker;

    /** A new, open reranker; the test closes it. */
    protected abstract Reranker newReranker();

    @BeforeEach
    void open() {
        reranker = newReranker();
    }

    @AfterEach
    void closeReranker() {
        reranker.close();
    }

    @Test
    public void score_nullQuery_throwsNamingQuery() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> reranker.score(null, DOCS));
        assertTrue(e.getMessage().contains("query"), e.getMessage());
    }

    @Test
    public void score_nullDocuments_throwsNamingDocuments() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> reranker.score(QUERY, null));
        assertTrue(e.getMessage().contains("documents"), e.getMessage());
    }

    @Test
    public void score_nullElement_throwsNamingItsIndex() {
        List<String> docs = Arrays.asList("a", null, "c");
        NullPointerException e = assertThrows(NullPointerException.class, () -> reranker.score(QUERY, docs));
        assertTrue(e.getMessage().contains("documents[1]"), e.getMessage());
    }

    @Test
    public void rerank_nullArguments_throwNamingThem() {
        List<String> docs = Arrays.asList("a", "b", null);
        assertTrue(assertThrows(NullPointerException.class, () -> reranker.rerank(null, DOCS))
                .getMessage().contains("query"));
        assertTrue(assertThrows(NullPointerException.class, () -> reranker.rerank(QUERY, null, 2))
                .getMessage().contains("documents"));
        assertTrue(assertThrows(NullPointerException.class, () -> reranker.rerank(QUERY, docs))
                .getMessage().contains("documents[2]"));
    }

    @Test
    public void emptyDocuments_giveEmptyResults() {
        assertEquals(0, reranker.score(QUERY, List.of()).length);
        assertEquals(List.of(), reranker.rerank(QUERY, List.of()));
        assertEquals(List.of(), reranker.rerank(QUERY, List.of(), 5));
    }

    @Test
    public void emptyStringDocument_isScoredLikeAnyOther() {
        float[] scores = reranker.score(QUERY, List.of(""));
        assertEquals(1, scores.length);
        assertTrue(Float.isFinite(scores[0]));
        assertEquals(1, reranker.rerank("", List.of("", "x")).stream().filter(d -> d.index() == 0).count());
    }

    @Test
    public void rerank_topKNotPositive_throws() {
        assertThrows(IllegalArgumentException.class, () -> reranker.rerank(QUERY, DOCS, 0));
        assertThrows(IllegalArgumentException.class, () -> reranker.rerank(QUERY, DOCS, -3));
        assertThrows(IllegalArgumentException.class, () -> reranker.rerank(QUERY, List.of(), 0));
    }

    @Test
    public void rerank_topKLargerThanList_returnsAll() {
        assertEquals(DOCS.size(), reranker.rerank(QUERY, DOCS, 100).size());
    }

    @Test
    public void rerank_isScoreSortedBestFirst() {
        float[] scores = reranker.score(QUERY, DOCS);
        List<ScoredDocument> ranked = reranker.rerank(QUERY, DOCS);
        assertEquals(DOCS.size(), ranked.size());
        boolean[] seen = new boolean[DOCS.size()];
        for (int i = 0; i < ranked.size(); i++) {
            ScoredDocument d = ranked.get(i);
            assertEquals(DOCS.get(d.index()), d.document());
            assertEquals(scores[d.index()], d.score());
            seen[d.index()] = true;
            if (i > 0) {
                assertTrue(ranked.get(i - 1).score() >= d.score(), "not best first: " + ranked);
            }
        }
        for (boolean s : seen) {
            assertTrue(s, "a document is missing: " + ranked);
        }
        assertEquals(ranked.subList(0, 2), reranker.rerank(QUERY, DOCS, 2));
    }

    @Test
    public void rerank_equalScores_keepInputOrder() {
        List<String> docs = List.of("bamboo forest", "a bear", "bamboo forest", "a bear", "bamboo forest");
        float[] scores = reranker.score(QUERY, docs);
        assertEquals(scores[0], scores[2]);
        assertEquals(scores[0], scores[4]);
        List<Integer> forestOrder = new ArrayList<>();
        for (ScoredDocument d : reranker.rerank(QUERY, docs)) {
            if (d.document().equals("bamboo forest")) {
                forestOrder.add(d.index());
            }
        }
        assertEquals(List.of(0, 2, 4), forestOrder);
    }

    @Test
    public void results_areUnmodifiable() {
        List<ScoredDocument> ranked = reranker.rerank(QUERY, DOCS);
        assertThrows(UnsupportedOperationException.class, () -> ranked.add(ranked.get(0)));
        assertThrows(UnsupportedOperationException.class, () -> ranked.remove(0));
        List<ScoredDocument> top = reranker.rerank(QUERY, DOCS, 2);
        assertThrows(UnsupportedOperationException.class, () -> top.set(0, top.get(1)));
    }

    @Test
    public void score_isInInputOrderAndRepeatable() {
        float[] first = reranker.score(QUERY, DOCS);
        first[0] = 42;
        float[] again = reranker.score(QUERY, DOCS);
        float[] reversed = reranker.score(QUERY, List.of(DOCS.get(3), DOCS.get(2), DOCS.get(1), DOCS.get(0)));
        assertArrayEquals(new float[] {again[3], again[2], again[1], again[0]}, reversed, 1e-5f);
    }

    @Test
    public void close_isIdempotentAndLaterCallsThrow() {
        reranker.close();
        reranker.close();
        assertThrows(IllegalStateException.class, () -> reranker.score(QUERY, DOCS));
        assertThrows(IllegalStateException.class, () -> reranker.rerank(QUERY, DOCS));
        assertThrows(IllegalStateException.class, () -> reranker.rerank(QUERY, DOCS, 1));
    }
}
