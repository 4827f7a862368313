package dev.reranker.djl.train;

import java.util.List;
import java.util.Objects;

/**
 * One query with the documents judged relevant ({@code positives}) and not relevant
 * ({@code negatives}) to it. Immutable.
 *
 * <p>{@code positives} may be empty here: {@link TrainingData#of(List)} skips and counts such
 * examples rather than refusing them.
 */
public record TrainingExample(String query, List<String> positives, List<String> negatives) {

    /** @throws NullPointerException if an argument or one of the documents is null, naming it ({@code negatives[1]}) */
    public TrainingExample {
        Objects.requireNonNull(query, "query");
        positives = copy(positives, "positives");
        negatives = copy(negatives, "negatives");
    }

    private static List<String> copy(List<String> documents, String name) {
        Objects.requireNonNull(documents, name);
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                throw new NullPointerException(name + "[" + i + "]");
            }
        }
        return List.copyOf(documents);
    }
}
