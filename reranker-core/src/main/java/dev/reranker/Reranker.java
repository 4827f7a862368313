package dev.reranker;

import dev.reranker.internal.Inputs;
import dev.reranker.internal.Ranking;

import java.util.List;

/**
 * Scores how relevant each document is to a query, reading the two together (a cross-encoder), and
 * ranks documents by that score.
 *
 * <p>A reranker holds a model and native resources: create it once, share it between threads, and
 * close it when the application stops. Implementations are thread-safe.
 *
 * <pre>{@code
 * try (Reranker reranker = DjlReranker.builder().model(Path.of("models/bge-reranker-base")).build()) {
 *     List<ScoredDocument> top = reranker.rerank("What is the capital of France?", docs, 3);
 * }
 * }</pre>
 *
 * <p>The input contract, the same for every implementation: a {@code null} query, list or list
 * element throws {@link NullPointerException} naming it; an empty list gives an empty result without
 * running the model; {@code ""} is a document like any other. Returned lists are unmodifiable.
 * Calling a closed reranker throws {@link IllegalStateException}. Load and inference failures throw
 * {@link RerankerException}; after one, the reranker stays usable.
 */
public interface Reranker extends AutoCloseable {

    /**
     * Scores every document against the query.
     *
     * @return one score per document, in the order of {@code documents}; higher is more relevant
     */
    float[] score(String query, List<String> documents);

    /**
     * Ranks every document against the query, best first. Documents with equal scores keep their
     * input order.
     *
     * @return an unmodifiable list with one entry per document
     */
    default List<ScoredDocument> rerank(String query, List<String> documents) {
        Inputs.check(query, documents);
        return Ranking.rank(documents, score(query, documents), documents.size());
    }

    /**
     * Ranks the documents against the query and keeps the {@code topK} best, best first. Documents
     * with equal scores keep their input order.
     *
     * @param topK how many to keep; larger than the list keeps them all
     * @return an unmodifiable list of at most {@code topK} entries
     * @throws IllegalArgumentException if {@code topK <= 0}
     */
    default List<ScoredDocument> rerank(String query, List<String> documents, int topK) {
        Inputs.checkTopK(topK);
        Inputs.check(query, documents);
        return Ranking.rank(documents, score(query, documents), topK);
    }

    /** Releases the model and its native memory. Calling it again does nothing. */
    @Override
    void close();
}
