package dev.reranker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class ScoredDocumentTest {

    @Test
    void equality_isByValue() {
        assertEquals(new ScoredDocument(2, "doc", 0.5f), new ScoredDocument(2, "doc", 0.5f));
        assertEquals(new ScoredDocument(2, "doc", 0.5f).hashCode(), new ScoredDocument(2, "doc", 0.5f).hashCode());
        assertNotEquals(new ScoredDocument(2, "doc", 0.5f), new ScoredDocument(3, "doc", 0.5f));
        assertNotEquals(new ScoredDocument(2, "doc", 0.5f), new ScoredDocument(2, "doc", 0.25f));
    }

    @Test
    void negativeIndex_throws() {
        assertThrows(IllegalArgumentException.class, () -> new ScoredDocument(-1, "doc", 0f));
    }

    @Test
    void nullDocument_throwsNamingIt() {
        assertEquals("document", assertThrows(NullPointerException.class, () -> new ScoredDocument(0, null, 0f))
                .getMessage());
    }
}
