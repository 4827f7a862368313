package dev.reranker;

import java.util.Objects;

/**
 * One document of a ranking: where it stood in the input list, its text, and its score.
 *
 * @param index the document's position in the list passed to {@code rerank}
 * @param document the document's text
 * @param score its relevance score; higher is more relevant
 */
public record ScoredDocument(int index, String document, float score) {

    public ScoredDocument {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
        Objects.requireNonNull(document, "document");
    }
}
