package dev.reranker.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A query with its candidate documents and how relevant each one is: the test data of a
 * {@link RankingEvaluator}. Immutable; the lists are unmodifiable copies.
 *
 * <p>A grade is a finite number {@code >= 0}: 0 is irrelevant, and anything above 0 is relevant.
 * Graded judgments (say 0 to 3) feed NDCG as they are; the other metrics only ask whether a grade
 * is above 0. For the common binary case use {@link #binary(String, List, List)}.
 *
 * <p>A {@code null} query, list or element throws {@link NullPointerException} naming it (for
 * example {@code documents[2]}); lists of different sizes, or a negative or non-finite grade,
 * throw {@link IllegalArgumentException} naming the index.
 *
 * @param query the query text
 * @param documents the candidates to rank, in any order (the order does not change the metrics)
 * @param relevance one grade per document, in the same order
 */
public record JudgedQuery(String query, List<String> documents, List<Double> relevance) {

    public JudgedQuery {
        Objects.requireNonNull(query, "query");
        documents = copy(documents, "documents");
        relevance = copy(relevance, "relevance");
        if (documents.size() != relevance.size()) {
            throw new IllegalArgumentException("documents and relevance differ in size: documents.size() = "
                    + documents.size() + ", relevance.size() = " + relevance.size());
        }
        for (int i = 0; i < relevance.size(); i++) {
            RankingMetrics.checkGrade(relevance.get(i), i);
        }
    }

    /**
     * A query with binary judgments: the {@code relevant} documents get grade 1 and the
     * {@code irrelevant} ones grade 0, listed in that order.
     */
    public static JudgedQuery binary(String query, List<String> relevant, List<String> irrelevant) {
        relevant = copy(relevant, "relevant");
        irrelevant = copy(irrelevant, "irrelevant");
        List<String> documents = new ArrayList<>(relevant.size() + irrelevant.size());
        List<Double> relevance = new ArrayList<>(relevant.size() + irrelevant.size());
        documents.addAll(relevant);
        relevant.forEach(document -> relevance.add(1.0));
        documents.addAll(irrelevant);
        irrelevant.forEach(document -> relevance.add(0.0));
        return new JudgedQuery(query, documents, relevance);
    }

    /** Whether any document has a grade above 0. */
    boolean hasRelevantDocument() {
        for (double grade : relevance) {
            if (grade > 0) {
                return true;
            }
        }
        return false;
    }

    /** The grades as an array, in document order. */
    double[] grades() {
        double[] grades = new double[relevance.size()];
        for (int i = 0; i < grades.length; i++) {
            grades[i] = relevance.get(i);
        }
        return grades;
    }

    /** Copies the list, naming the first null element: {@link List#copyOf} would not say which. */
    private static <T> List<T> copy(List<T> list, String name) {
        Objects.requireNonNull(list, name);
        int i = 0;
        for (T element : list) {
            if (element == null) {
                throw new NullPointerException(name + "[" + i + "] must not be null");
            }
            i++;
        }
        return List.copyOf(list);
    }
}
