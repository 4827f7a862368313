package dev.reranker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reranker.ScoredDocument;

import java.util.List;

import org.junit.jupiter.api.Test;

final class RankingTest {

    private static final List<String> DOCS = List.of("a", "b", "c", "d");

    @Test
    void rank_sortsBestFirst_tiesInInputOrder() {
        List<ScoredDocument> ranked = Ranking.rank(DOCS, new float[] {0.5f, 0.9f, 0.5f, 0.1f}, 10);
        assertEquals(List.of(
                new ScoredDocument(1, "b", 0.9f),
                new ScoredDocument(0, "a", 0.5f),
                new ScoredDocument(2, "c", 0.5f),
                new ScoredDocument(3, "d", 0.1f)), ranked);
    }

    @Test
    void rank_nanGoesLast_signedZerosTie() {
        List<ScoredDocument> ranked = Ranking.rank(DOCS, new float[] {Float.NaN, 0.0f, -0.0f, -1f}, 4);
        assertEquals(List.of(1, 2, 3, 0), ranked.stream().map(ScoredDocument::index).toList());
    }

    @Test
    void rank_topK_cutsTheList() {
        assertEquals(List.of(1, 0), Ranking.rank(DOCS, new float[] {3, 4, 2, 1}, 2).stream()
                .map(ScoredDocument::index).toList());
    }
}
