package dev.reranker.djl.train;

import java.util.List;
import java.util.Objects;

/**
 * One query with the documents judged relevant ({@code positives}) and not relevant
 * ({@code negatives}) to it. Immutable.
 */
public record TrainingExample(String query, List<String> positives, List<String> negatives) {

    public TrainingExample {
        Objects.requireNonNull(query, "query");
        positives = List.copyOf(Objects.requireNonNull(positives, "positives"));
        negatives = List.copyOf(Objects.requireNonNull(negatives, "negatives"));
    }
}
