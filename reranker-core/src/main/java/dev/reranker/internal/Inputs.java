package dev.reranker.internal;

import java.util.List;

/**
 * The argument checks of the {@link dev.reranker.Reranker} contract, in one place for every
 * implementation, and the count check the builders and settings share.
 */
public final class Inputs {

    private Inputs() {}

    /** Throws {@link NullPointerException} naming the query, the list or the first null element. */
    public static void check(String query, List<String> documents) {
        if (query == null) {
            throw new NullPointerException("query must not be null");
        }
        if (documents == null) {
            throw new NullPointerException("documents must not be null");
        }
        int i = 0;
        for (String document : documents) {
            if (document == null) {
                throw new NullPointerException("documents[" + i + "] must not be null");
            }
            i++;
        }
    }

    public static void checkTopK(int topK) {
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be at least 1, was " + topK);
        }
    }

    /** {@code value} if it is at least 1; otherwise {@link IllegalArgumentException} naming it. */
    public static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
