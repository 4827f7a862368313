package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.WindowAggregation;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A document's score does not depend on what it is batched with, nor on the batch size. */
final class BatchingTest {

    private static final String QUERY = "what is the best search engine library?";
    private static final String SHORT = "a java library";

    private static String longText(int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i % 3 == 0 ? "search " : i % 3 == 1 ? "engine " : "ranks relevant documents ");
        }
        return b.toString().trim();
    }

    private static List<String> mixed() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            docs.add(i % 7 == 0 ? SHORT : longText(1 + (i * 13) % 40) + " number " + i);
        }
        return docs;
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT_TORCHSCRIPT, Fixtures.XLMR_TORCHSCRIPT})
    void score_isTheSameAloneBesideLongerDocumentsAndAtAnyBatchSize(String fixture) {
        List<String> docs = mixed();
        float[][] byBatchSize = new float[3][];
        int[] sizes = {1, 3, 64};
        for (int k = 0; k < sizes.length; k++) {
            try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(fixture)).batchSize(sizes[k]).build()) {
                byBatchSize[k] = reranker.score(QUERY, docs);
                float alone = reranker.score(QUERY, List.of(SHORT))[0];
                for (int i = 0; i < docs.size(); i++) {
                    if (docs.get(i).equals(SHORT)) {
                        assertEquals(alone, byBatchSize[k][i], 1e-5, "short document " + i + " at batch size " + sizes[k]);
                    }
                }
                for (int i = 0; i < docs.size(); i += 9) {
                    assertEquals(reranker.score(QUERY, List.of(docs.get(i)))[0], byBatchSize[k][i], 1e-5,
                            "document " + i + " alone vs in a list, batch size " + sizes[k]);
                }
            }
        }
        assertArrayEquals(byBatchSize[0], byBatchSize[1], 1e-5f);
        assertArrayEquals(byBatchSize[0], byBatchSize[2], 1e-5f);
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT_TORCHSCRIPT, Fixtures.XLMR_TORCHSCRIPT})
    void batches_areCutAtBatchSize_overDistinctDocuments(String fixture) {
        try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(fixture)).batchSize(8).build()) {
            List<String> docs = mixed();
            long distinct = docs.stream().distinct().count(); // a repeated document runs once
            long before = reranker.batchesRun();
            reranker.score(QUERY, docs);
            long batches = reranker.batchesRun() - before;
            // At most 8 pairs a batch; more batches where lengths differ too much to share one.
            assertTrue(batches >= (distinct + 7) / 8 && batches < distinct, batches + " batches");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT, Fixtures.XLMR})
    void native_batchesAreFull_lengthsDoNotCutThem(String fixture) {
        // The native backend runs no padding, so pairs of 10 to 64 tokens share one batch of 64 (at
        // most 64 x 64 real tokens, within the default budget of 64 x 64). The TorchScript twin pads,
        // so it cuts where a pair is much longer than its batch's shortest. One predictor each: with
        // more, a call is cut into a batch per predictor at least (see predictors_shareACall).
        List<String> docs = mixed();
        long distinct = docs.stream().distinct().count();
        assertTrue(distinct <= 64, distinct + " documents");
        try (DjlReranker packed = DjlReranker.builder().model(Fixtures.dir(fixture)).batchSize(64).predictors(1)
                        .build();
                DjlReranker padded = DjlReranker.builder().model(Fixtures.dir(fixture + "-torchscript"))
                        .batchSize(64).predictors(1).build()) {
            long before = packed.batchesRun();
            float[] scores = packed.score(QUERY, docs);
            assertEquals(1, packed.batchesRun() - before);
            long paddedBefore = padded.batchesRun();
            assertArrayEquals(padded.score(QUERY, docs), scores, 1e-4f);
            long paddedBatches = padded.batchesRun() - paddedBefore;
            assertTrue(paddedBatches > 1, paddedBatches + " padded batches");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT_TORCHSCRIPT, Fixtures.XLMR_TORCHSCRIPT, Fixtures.BERT})
    void maxBatchTokens_cutsBatchesOfLongPairs_scoresUnchanged(String fixture) {
        List<String> docs = mixed();
        try (DjlReranker plain = DjlReranker.builder().model(Fixtures.dir(fixture)).batchSize(64).build();
                DjlReranker budget = DjlReranker.builder().model(Fixtures.dir(fixture)).batchSize(64)
                        .maxBatchTokens(128).build()) {
            long plainBefore = plain.batchesRun();
            float[] expected = plain.score(QUERY, docs);
            long plainBatches = plain.batchesRun() - plainBefore;
            long before = budget.batchesRun();
            assertArrayEquals(expected, budget.score(QUERY, docs), 1e-5f);
            long batches = budget.batchesRun() - before;
            // Pairs of up to 64 tokens, at most 128 tokens a batch (padded, or real ones natively): at least two batches per
            // two longest pairs, far more than at 64 pairs of 128 tokens.
            assertTrue(batches > 2 * plainBatches, batches + " batches against " + plainBatches);
            assertTrue(budget.toString().contains("maxBatchTokens=128"), budget.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT_TORCHSCRIPT, Fixtures.XLMR_TORCHSCRIPT})
    void slidingWindows_leaveDocumentsThatFitUnchanged_andScoreLongOnesOverWindows(String fixture) {
        String longDoc = longText(60) + " the giant panda is a bear";
        List<String> docs = List.of(SHORT, longText(5), longDoc, "");
        try (DjlReranker cut = DjlReranker.builder().model(Fixtures.dir(fixture)).maxLength(24).build();
                DjlReranker max = DjlReranker.builder().model(Fixtures.dir(fixture)).maxLength(24)
                        .slidingWindows(WindowAggregation.MAX, 4).build();
                DjlReranker mean = DjlReranker.builder().model(Fixtures.dir(fixture)).maxLength(24)
                        .slidingWindows(WindowAggregation.MEAN, 4).build()) {
            float[] plain = cut.score(QUERY, docs);
            float[] maxScores = max.score(QUERY, docs);
            float[] meanScores = mean.score(QUERY, docs);
            for (int i : new int[] {0, 1, 3}) {
                // to 1e-5, as for any document whose batch differs: windows change how the call is cut
                assertEquals(plain[i], maxScores[i], 1e-5f, "fits one window: " + i);
                assertEquals(plain[i], meanScores[i], 1e-5f, "fits one window: " + i);
            }
            assertTrue(max.pipeline().pairs(QUERY, List.of(longDoc)).size() > 3);
            assertTrue(maxScores[2] >= meanScores[2]);
            assertNotEquals(plain[2], maxScores[2]);
            float first = cut.score(QUERY, List.of(longDoc))[0];
            assertTrue(maxScores[2] >= first - 1e-6, "the first window is one of the windows");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT, Fixtures.XLMR, Fixtures.BERT_TORCHSCRIPT, Fixtures.XLMR_TORCHSCRIPT})
    void batchLargerThanOneSlice_scoresAsSmallBatches(String fixture) {
        // 700 pairs of the full 64 tokens in one batch: more than the 512 rows of one 32 MB slice.
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            docs.add(longText(80) + " " + i);
        }
        try (DjlReranker big = DjlReranker.builder().model(Fixtures.dir(fixture)).batchSize(700).build();
                DjlReranker small = DjlReranker.builder().model(Fixtures.dir(fixture)).batchSize(7).build()) {
            assertArrayEquals(small.score(QUERY, docs), big.score(QUERY, docs), 1e-5f);
            assertEquals(1, big.pipeline().pairs(QUERY, docs.subList(0, 1)).size());
        }
    }
}
