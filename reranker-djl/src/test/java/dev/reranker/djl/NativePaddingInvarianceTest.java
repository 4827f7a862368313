package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.ScoreMode;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On the native backend, padding is invisible: a document scores the same alone as beside far
 * longer documents, at any batch size. This checks the attention mask, and for XLM-RoBERTa the
 * position ids, which skip padding.
 */
final class NativePaddingInvarianceTest {

    private static final String QUERY = "what is the best search engine library?";
    private static final String SHORT = "a java library";

    private static List<String> mixed() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            // Short documents beside ones of every length up to past the 64-token window.
            docs.add(i % 7 == 0 ? SHORT : "search engine ranks relevant documents ".repeat(1 + i % 17) + "number " + i);
        }
        return docs;
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT, Fixtures.XLMR})
    void score_isTheSameAloneBesideLongerDocumentsAndAtAnyBatchSize(String fixture) {
        List<String> docs = mixed();
        int[] sizes = {1, 3, 64};
        float[][] byBatchSize = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(fixture)).scoreMode(ScoreMode.RAW)
                    .batchSize(sizes[k]).build()) {
                assertTrue(reranker.toString().contains("backend=native"), reranker.toString());
                if (k == 0) {
                    int longest = reranker.pipeline().pairs(QUERY, docs).stream().mapToInt(p -> p.length()).max().orElseThrow();
                    int shortest = reranker.pipeline().pairs(QUERY, List.of(SHORT)).get(0).length();
                    assertTrue(longest >= 4 * shortest, "the batch pads " + SHORT + " from " + shortest + " to " + longest);
                }
                byBatchSize[k] = reranker.score(QUERY, docs);
                float alone = reranker.score(QUERY, List.of(SHORT))[0];
                for (int i = 0; i < docs.size(); i++) {
                    if (docs.get(i).equals(SHORT)) {
                        assertEquals(alone, byBatchSize[k][i], 1e-5, "short document " + i + " at batch size " + sizes[k]);
                    }
                }
                for (int i = 1; i < docs.size(); i += 5) {
                    assertEquals(reranker.score(QUERY, List.of(docs.get(i)))[0], byBatchSize[k][i], 1e-5,
                            "document " + i + " alone vs in a list, batch size " + sizes[k]);
                }
                // Length-sorted batching puts short documents together; here one batch (of 3, or 64)
                // must pad it to two far longer ones.
                float[] three = reranker.score(QUERY, List.of(docs.get(16), SHORT, docs.get(33)));
                assertEquals(alone, three[1], 1e-5, "beside two of the longest documents, batch size " + sizes[k]);
            }
        }
        assertArrayEquals(byBatchSize[0], byBatchSize[1], 1e-5f);
        assertArrayEquals(byBatchSize[0], byBatchSize[2], 1e-5f);
    }
}
