package dev.reranker.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

final class JudgedQueryTest {

    @Test
    void binary_relevantGetOneThenIrrelevantGetZero() {
        JudgedQuery query = JudgedQuery.binary("q", List.of("r1", "r2"), List.of("i1"));
        assertEquals("q", query.query());
        assertEquals(List.of("r1", "r2", "i1"), query.documents());
        assertEquals(List.of(1.0, 1.0, 0.0), query.relevance());
    }

    @Test
    void binary_noRelevant_hasNoRelevantDocument() {
        assertFalse(JudgedQuery.binary("q", List.of(), List.of("i1")).hasRelevantDocument());
        assertTrue(JudgedQuery.binary("q", List.of("r1"), List.of()).hasRelevantDocument());
    }

    @Test
    void binary_nullElement_throwsNamingListAndIndex() {
        assertNpe("relevant[1] must not be null",
                () -> JudgedQuery.binary("q", Arrays.asList("r1", null), List.of()));
        assertNpe("irrelevant[0] must not be null",
                () -> JudgedQuery.binary("q", List.of(), Arrays.asList((String) null)));
    }

    @Test
    void binary_nullList_throwsNamingIt() {
        assertNpe("relevant", () -> JudgedQuery.binary("q", null, List.of()));
        assertNpe("irrelevant", () -> JudgedQuery.binary("q", List.of(), null));
    }

    @Test
    void graded_keepsGradesInDocumentOrder() {
        JudgedQuery query = new JudgedQuery("q", List.of("a", "b", "c"), List.of(0.0, 3.0, 1.5));
        assertArrayEquals(new double[] {0, 3, 1.5}, query.grades());
        assertTrue(query.hasRelevantDocument());
    }

    @Test
    void lists_areDefensiveCopies() {
        List<String> documents = new ArrayList<>(List.of("a", "b"));
        List<Double> relevance = new ArrayList<>(List.of(1.0, 0.0));
        JudgedQuery query = new JudgedQuery("q", documents, relevance);
        documents.set(0, "changed");
        relevance.set(0, 0.0);
        assertEquals(List.of("a", "b"), query.documents());
        assertEquals(List.of(1.0, 0.0), query.relevance());
    }

    @Test
    void lists_areUnmodifiable() {
        JudgedQuery query = new JudgedQuery("q", List.of("a"), List.of(1.0));
        assertThrows(UnsupportedOperationException.class, () -> query.documents().add("b"));
        assertThrows(UnsupportedOperationException.class, () -> query.relevance().set(0, 0.0));
    }

    @Test
    void emptyDocuments_areAllowed() {
        JudgedQuery query = new JudgedQuery("q", List.of(), List.of());
        assertFalse(query.hasRelevantDocument());
    }

    @Test
    void equality_isByValue() {
        assertEquals(JudgedQuery.binary("q", List.of("a"), List.of("b")),
                new JudgedQuery("q", List.of("a", "b"), List.of(1.0, 0.0)));
    }

    @Test
    void nullQuery_throwsNamingIt() {
        assertNpe("query", () -> new JudgedQuery(null, List.of("a"), List.of(1.0)));
    }

    @Test
    void nullDocuments_throwsNamingThem() {
        assertNpe("documents", () -> new JudgedQuery("q", null, List.of(1.0)));
    }

    @Test
    void nullRelevance_throwsNamingIt() {
        assertNpe("relevance", () -> new JudgedQuery("q", List.of("a"), null));
    }

    @Test
    void nullDocument_throwsNamingIndex() {
        assertNpe("documents[1] must not be null",
                () -> new JudgedQuery("q", Arrays.asList("a", null), List.of(1.0, 0.0)));
    }

    @Test
    void nullGrade_throwsNamingIndex() {
        assertNpe("relevance[0] must not be null",
                () -> new JudgedQuery("q", List.of("a", "b"), Arrays.asList(null, 0.0)));
    }

    @Test
    void sizesDiffer_throwsNamingBoth() {
        assertIae("documents and relevance differ in size: documents.size() = 2, relevance.size() = 1",
                () -> new JudgedQuery("q", List.of("a", "b"), List.of(1.0)));
    }

    @Test
    void negativeGrade_throwsNamingIndex() {
        assertIae("relevance[1] must be a finite number >= 0, was -1.0",
                () -> new JudgedQuery("q", List.of("a", "b"), List.of(1.0, -1.0)));
    }

    @Test
    void nanGrade_throwsNamingIndex() {
        assertIae("relevance[0] must be a finite number >= 0, was NaN",
                () -> new JudgedQuery("q", List.of("a"), List.of(Double.NaN)));
    }

    @Test
    void infiniteGrade_throwsNamingIndex() {
        assertIae("relevance[0] must be a finite number >= 0, was Infinity",
                () -> new JudgedQuery("q", List.of("a"), List.of(Double.POSITIVE_INFINITY)));
    }

    private static void assertNpe(String expected, Executable call) {
        assertEquals(expected, assertThrows(NullPointerException.class, call).getMessage());
    }

    private static void assertIae(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
