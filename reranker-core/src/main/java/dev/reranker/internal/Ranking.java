package dev.reranker.internal;

import dev.reranker.ScoredDocument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Sorting scores into a ranking: best first, ties in input order, NaN last. */
public final class Ranking {

    private Ranking() {}

    /**
     * Returns the {@code topK} best documents, best first, as an unmodifiable list.
     *
     * @param scores one score per document, in input order
     */
    public static List<ScoredDocument> rank(List<String> documents, float[] scores, int topK) {
        if (scores.length != documents.size()) {
            throw new IllegalStateException(
                    "got " + scores.length + " scores for " + documents.size() + " documents");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is stable, so equal scores keep their input order.
        Arrays.sort(order, (a, b) -> compareDescending(scores[a], scores[b]));
        int n = Math.min(topK, order.length);
        List<ScoredDocument> ranked = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = order[i];
            ranked.add(new ScoredDocument(index, documents.get(index), scores[index]));
        }
        return Collections.unmodifiableList(ranked);
    }

    /**
     * The order of a ranking by score: higher first, NaN after every number, -0.0 and 0.0 tied. The
     * evaluation metrics rank with it too, so they judge the order {@link #rank} returns.
     */
    public static int compareDescending(float a, float b) {
        boolean aNaN = Float.isNaN(a);
        boolean bNaN = Float.isNaN(b);
        if (aNaN || bNaN) {
            return Boolean.compare(aNaN, bNaN);
        }
        // Treat -0.0 and 0.0 as equal so that they tie (and keep input order).
        return a == b ? 0 : (a > b ? -1 : 1);
    }
}
