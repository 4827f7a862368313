package dev.reranker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.ScoreMode;
import dev.reranker.Truncation;
import dev.reranker.WindowAggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

final class CrossEncoderPipelineTest {

    private static final long S = PairTemplate.SPECIAL;
    /** [CLS]=1 q [SEP]=2 d [SEP]=2 */
    private static final PairTemplate BERT_LIKE = PairTemplate.fromProbe(
            new long[] {1, 7, 2, 8, 2}, new long[] {0, 0, 0, 1, 1}, new long[] {S, 0, S, 1, S});

    /** Each word is one token: its length plus 10. */
    private static final CrossEncoderPipeline.Tokens WORDS = texts -> {
        List<int[]> out = new ArrayList<>();
        for (String text : texts) {
            out.add(text.isEmpty() ? new int[0]
                    : Arrays.stream(text.split(" ")).mapToInt(w -> w.length() + 10).toArray());
        }
        return out;
    };

    /** A stand-in model whose logit depends only on a row's real tokens: their weighted mean. */
    private final List<PaddedBatch> seen = new ArrayList<>();

    private float[][] model(PaddedBatch batch) {
        seen.add(batch);
        float[][] logits = new float[batch.rows()][1];
        for (int r = 0; r < batch.rows(); r++) {
            double sum = 0;
            int n = 0;
            for (int t = 0; t < batch.length(); t++) {
                int at = r * batch.length() + t;
                if (batch.attentionMask()[at] == 1) {
                    sum += batch.inputIds()[at] * (1 + batch.tokenTypeIds()[at]) * (t + 1);
                    n++;
                }
            }
            logits[r][0] = (float) (sum / n / 100.0 - 1.0);
        }
        return logits;
    }

    private static CrossEncoderPipeline pipeline(int maxLength, int batchSize, WindowAggregation windows, int overlap) {
        int budget = CrossEncoderPipeline.defaultMaxBatchTokens(batchSize, false);
        return pipeline(maxLength, batchSize, budget, windows, overlap, true);
    }

    private static CrossEncoderPipeline pipeline(
            int maxLength, int batchSize, int maxBatchTokens, WindowAggregation windows, int overlap, boolean sorted) {
        return new CrossEncoderPipeline(
                new CrossEncoderPipeline.Settings(maxLength, batchSize, maxBatchTokens,
                        Truncation.QUERY_CAP_ONLY_SECOND, ScoreMode.RAW, windows, overlap, 0, sorted, false),
                BERT_LIKE, WORDS);
    }

    /** Sorted or not, no windows; {@code packed}: the forward pass runs no padding. */
    private static CrossEncoderPipeline pipeline(
            int maxLength, int batchSize, int maxBatchTokens, boolean sorted, boolean packed) {
        return new CrossEncoderPipeline(
                new CrossEncoderPipeline.Settings(maxLength, batchSize, maxBatchTokens,
                        Truncation.QUERY_CAP_ONLY_SECOND, ScoreMode.RAW, null, 0, 0, sorted, packed),
                BERT_LIKE, WORDS);
    }

    private static String words(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append("w".repeat(1 + i % 5));
        }
        return b.toString();
    }

    @Test
    void score_sortsByLength_padsEachBatchToItsOwnLongest_restoresInputOrder() {
        List<String> docs = List.of(words(9), words(1), words(5), words(2), words(8), "");
        float[] batched = pipeline(64, 2, null, 0).score("q r", docs, this::model);

        int previous = 0;
        for (PaddedBatch batch : seen) {
            assertTrue(batch.length() >= previous, "batches are not in length order");
            previous = batch.length();
            long lastRowReal = Arrays.stream(batch.attentionMask(), batch.length(), 2 * batch.length()).sum();
            long firstRowReal = Arrays.stream(batch.attentionMask(), 0, batch.length()).sum();
            assertEquals(batch.length(), Math.max(firstRowReal, lastRowReal), "padded beyond its own longest");
        }
        for (int i = 0; i < docs.size(); i++) {
            float alone = pipeline(64, 1, null, 0).score("q r", List.of(docs.get(i)), this::model)[0];
            assertEquals(alone, batched[i], "document " + i);
        }
    }

    @Test
    void pairs_truncateTheDocumentToTheWindow() {
        List<TokenizedPair> pairs = pipeline(10, 8, null, 0).pairs("q r", List.of(words(20)));
        assertEquals(1, pairs.size());
        assertEquals(10, pairs.get(0).length());
    }

    @Test
    void windows_overlapAndCoverTheWholeDocument() {
        // maxLength 10, 3 specials, query 2 tokens: windows of 5 document tokens, 2 shared, so step 3.
        List<TokenizedPair> pairs = pipeline(10, 8, WindowAggregation.MAX, 2).pairs("q r", List.of(words(20)));
        assertEquals(6, pairs.size()); // starts 0, 3, 6, 9, 12, 15
        for (TokenizedPair pair : pairs) {
            assertEquals(10, pair.length());
        }
        int[] last = pairs.get(5).ids();
        int[] all = WORDS.encode(List.of(words(20))).get(0);
        assertArrayEquals(Arrays.copyOfRange(all, 15, 20), Arrays.copyOfRange(last, 4, 9));
    }

    @Test
    void windows_maxAndMeanOfWindowScores() {
        String doc = words(20);
        CrossEncoderPipeline max = pipeline(10, 4, WindowAggregation.MAX, 2);
        CrossEncoderPipeline mean = pipeline(10, 4, WindowAggregation.MEAN, 2);
        List<TokenizedPair> pairs = max.pairs("q r", List.of(doc));
        float[] windowScores = new float[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            windowScores[i] = model(PaddedBatch.of(List.of(pairs.get(i)), 0))[0][0];
        }
        double expectedMax = Double.NEGATIVE_INFINITY;
        double expectedMean = 0;
        for (float s : windowScores) {
            expectedMax = Math.max(expectedMax, s);
            expectedMean += s / windowScores.length;
        }
        assertEquals(expectedMax, max.score("q r", List.of(doc), this::model)[0], 1e-6);
        assertEquals(expectedMean, mean.score("q r", List.of(doc), this::model)[0], 1e-6);
    }

    @Test
    void windows_documentThatFits_scoresAsWithout() {
        List<String> docs = List.of(words(3), words(4), "");
        float[] plain = pipeline(10, 4, null, 0).score("q r", docs, this::model);
        assertArrayEquals(plain, pipeline(10, 4, WindowAggregation.MEAN, 2).score("q r", docs, this::model));
        assertArrayEquals(plain, pipeline(10, 4, WindowAggregation.MAX, 2).score("q r", docs, this::model));
    }

    @Test
    void emptyList_neverRunsTheModel() {
        assertEquals(0, pipeline(10, 4, null, 0).score("q", List.of(), this::model).length);
        assertTrue(seen.isEmpty());
    }

    @Test
    void repeatedDocuments_areRunOnce_andScoreExactlyAlike() {
        List<String> docs = List.of(words(4), words(2), words(4), words(4), words(2));
        float[] scores = pipeline(64, 8, null, 0).score("q", docs, this::model);
        assertEquals(1, seen.size());
        assertEquals(2, seen.get(0).rows());
        assertEquals(scores[0], scores[2]);
        assertEquals(scores[0], scores[3]);
        assertEquals(scores[1], scores[4]);
    }

    @Test
    void paddedBatch_rows_sliceKeepsTheLength() {
        PaddedBatch batch = PaddedBatch.of(pipeline(64, 8, null, 0).pairs("q", List.of(words(1), words(5), words(3))), 0);
        PaddedBatch slice = batch.rows(1, 3);
        assertEquals(2, slice.rows());
        assertEquals(batch.length(), slice.length());
        assertArrayEquals(Arrays.copyOfRange(batch.inputIds(), batch.length(), 3 * batch.length()), slice.inputIds());
        assertArrayEquals(Arrays.copyOfRange(batch.attentionMask(), batch.length(), 3 * batch.length()),
                slice.attentionMask());
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> batch.rows(2, 2));
    }

    @Test
    void batches_stopEarlyRatherThanPadAShortPairFarPastItsLength() {
        // 6 pairs of about 8 tokens and 2 of about 60, batch size 8: two batches, not one padded to 60.
        List<String> docs = new ArrayList<>();
        int[] lengths = {3, 4, 3, 5, 2, 4, 55, 57};
        for (int i = 0; i < lengths.length; i++) {
            docs.add(words(lengths[i]) + " s" + i); // distinct: repeated documents would run once
        }
        float[] scores = pipeline(64, 8, null, 0).score("q r", docs, this::model);
        assertEquals(2, seen.size());
        assertEquals(6, seen.get(0).rows());
        assertEquals(2, seen.get(1).rows());
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(pipeline(64, 1, null, 0).score("q r", List.of(docs.get(i)), this::model)[0], scores[i]);
        }
    }

    @Test
    void batches_ofSimilarLengths_fillUpToBatchSize() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(words(20 + i % 3) + " x" + i);
        }
        pipeline(64, 8, null, 0).score("q r", docs, this::model);
        assertEquals(List.of(8, 8, 4), seen.stream().map(PaddedBatch::rows).toList());
    }

    @Test
    void unsorted_keepsInputOrderAndFixedBatches() {
        CrossEncoderPipeline unsorted = pipeline(64, 2, 1000, null, 0, false);
        List<String> docs = List.of(words(9) + " a", words(1) + " b", words(30) + " c", words(2) + " d", words(3) + " e");
        float[] scores = unsorted.score("q r", docs, this::model);
        assertEquals(List.of(2, 2, 1), seen.stream().map(PaddedBatch::rows).toList());
        assertEquals(3 + 2 + 10, seen.get(0).length()); // specials + query + the first, longer document
        assertArrayEquals(pipeline(64, 2, null, 0).score("q r", docs, this::model), scores);
    }

    @Test
    void batches_holdAtMostMaxBatchTokens_paddingIncluded() {
        // Pairs of 15 to 34 tokens (specials + query + document); 100 tokens allow 6 of 15, 2 of 34.
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            docs.add(words(i < 6 ? 9 : 28) + " t" + i);
        }
        float[] scores = pipeline(64, 8, 100, null, 0, true).score("q r", docs, this::model);
        assertEquals(List.of(6, 2, 2, 2), seen.stream().map(PaddedBatch::rows).toList());
        for (PaddedBatch batch : seen) {
            assertTrue(batch.rows() * batch.length() <= 100, batch.rows() + " x " + batch.length());
        }
        seen.clear();
        assertArrayEquals(pipeline(64, 8, null, 0).score("q r", docs, this::model), scores);
    }

    @Test
    void maxBatchTokens_aPairLongerThanTheBudgetRunsAlone() {
        List<String> docs = List.of(words(40) + " a", words(41) + " b", words(3) + " c");
        float[] scores = pipeline(64, 8, 20, null, 0, true).score("q r", docs, this::model);
        assertEquals(List.of(1, 1, 1), seen.stream().map(PaddedBatch::rows).toList());
        seen.clear();
        assertArrayEquals(pipeline(64, 8, null, 0).score("q r", docs, this::model), scores);
    }

    @Test
    void maxBatchTokens_alsoCutsUnsortedBatches_atTheirLongestPair() {
        // In input order: 15, 15, 40, 15 tokens; 45 tokens allow the first two, then one row of 40.
        List<String> docs = List.of(words(9) + " a", words(9) + " b", words(34) + " c", words(9) + " d");
        pipeline(64, 4, 45, null, 0, false).score("q r", docs, this::model);
        assertEquals(List.of(2, 1, 1), seen.stream().map(PaddedBatch::rows).toList());
    }

    @Test
    void packed_batchesAreNotCutToSavePadding() {
        // The lengths of batches_stopEarlyRatherThanPadAShortPairFarPastItsLength: a packed forward
        // pass spends nothing on the padding, so all eight pairs share one batch.
        List<String> docs = new ArrayList<>();
        int[] lengths = {3, 4, 3, 5, 2, 4, 55, 57};
        for (int i = 0; i < lengths.length; i++) {
            docs.add(words(lengths[i]) + " s" + i);
        }
        float[] scores = pipeline(64, 8, 1000, true, true).score("q r", docs, this::model);
        assertEquals(List.of(8), seen.stream().map(PaddedBatch::rows).toList());
        seen.clear();
        assertArrayEquals(pipeline(64, 8, null, 0).score("q r", docs, this::model), scores);
    }

    @Test
    void packed_maxBatchTokensCountsRealTokens() {
        // Sorted: six pairs of 15 tokens, then six of 34. 100 real tokens hold the six of 15 (90),
        // then 90 + 34 would pass it; two of 34 (68), and a third would pass it. Padded, the same
        // budget cut 6, 2, 2, 2 too, but a mixed batch differs: 15 + 15 + 34 = 64 real tokens where
        // padding counted 3 x 34 = 102.
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            docs.add(words(i < 6 ? 9 : 28) + " t" + i);
        }
        pipeline(64, 8, 100, true, true).score("q r", docs, this::model);
        assertEquals(List.of(6, 2, 2, 2), seen.stream().map(PaddedBatch::rows).toList());
        seen.clear();
        List<String> mixed = List.of(words(9) + " a", words(9) + " b", words(28) + " c");
        pipeline(64, 8, 64, true, true).score("q r", mixed, this::model);
        assertEquals(List.of(3), seen.stream().map(PaddedBatch::rows).toList());
        seen.clear();
        pipeline(64, 8, 63, true, true).score("q r", mixed, this::model);
        assertEquals(List.of(2, 1), seen.stream().map(PaddedBatch::rows).toList());
        seen.clear();
        pipeline(64, 8, 64, true, false).score("q r", mixed, this::model);
        assertEquals(List.of(2, 1), seen.stream().map(PaddedBatch::rows).toList());
    }

    @Test
    void paddedBatch_realTokensOfARow() {
        PaddedBatch batch = PaddedBatch.of(pipeline(64, 8, null, 0).pairs("q", List.of(words(1), words(5), words(3))), 0);
        assertEquals(3 + 1 + 1, batch.realTokens(0));
        assertEquals(3 + 1 + 5, batch.realTokens(1));
        assertEquals(3 + 1 + 3, batch.realTokens(2));
        assertEquals(batch.realTokens(), batch.realTokens(0) + batch.realTokens(1) + batch.realTokens(2));
        assertThrows(IndexOutOfBoundsException.class, () -> batch.realTokens(3));
    }

    @Test
    void settings_rejectANonPositiveTokenBudget() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> pipeline(64, 8, 0, null, 0, true));
        assertTrue(e.getMessage().contains("maxBatchTokens"), e.getMessage());
        assertEquals(4096, CrossEncoderPipeline.defaultMaxBatchTokens(32, false));
        assertEquals(2048, CrossEncoderPipeline.defaultMaxBatchTokens(32, true));
        assertEquals(Integer.MAX_VALUE, CrossEncoderPipeline.defaultMaxBatchTokens(Integer.MAX_VALUE, false));
        assertEquals(Integer.MAX_VALUE, CrossEncoderPipeline.defaultMaxBatchTokens(Integer.MAX_VALUE, true));
    }

    /** The stand-in model on {@code lanes} threads of its own, as a reranker's predictors run it. */
    private final class Lanes implements CrossEncoderPipeline.Forward, AutoCloseable {
        private final int lanes;
        private final ExecutorService pool;
        private final List<PaddedBatch> batches = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        /** Batches at this index (in submission order) throw. */
        int failAt = -1;

        Lanes(int lanes) {
            this.lanes = lanes;
            this.pool = Executors.newFixedThreadPool(lanes);
        }

        @Override
        public float[][] logits(PaddedBatch batch) {
            throw new AssertionError("the pipeline submits batches when it has lanes");
        }

        @Override
        public int lanes() {
            return lanes;
        }

        @Override
        public CompletableFuture<float[][]> submit(PaddedBatch batch) {
            int index;
            synchronized (batches) {
                index = batches.size();
                batches.add(batch);
            }
            return CompletableFuture.supplyAsync(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(5); // long enough for batches to overlap
                    if (index == failAt) {
                        throw new IllegalStateException("batch " + index + " failed");
                    }
                    synchronized (CrossEncoderPipelineTest.this) {
                        return model(batch);
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    running.decrementAndGet();
                }
            }, pool);
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    private static List<String> documents(int n) {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(words(3 + (i * 7) % 40));
        }
        return docs;
    }

    @Test
    void lanes_runBatchesAtOnce_andScoreAsOneLane() {
        List<String> docs = documents(60);
        CrossEncoderPipeline pipeline = pipeline(64, 8, 1_000_000, true, true);
        float[] expected = pipeline.score("q r", docs, this::model);
        try (Lanes lanes = new Lanes(2)) {
            assertArrayEquals(expected, pipeline.score("q r", docs, lanes));
            assertEquals(2, lanes.mostAtOnce.get(), "two batches at once");
            // Longest pairs first: the last batch submitted holds the shortest.
            List<PaddedBatch> order = lanes.batches;
            assertTrue(order.get(0).length() >= order.get(order.size() - 1).length());
        }
    }

    @Test
    void lanes_aCallThatFitsOneBatch_isCutIntoOnePerLane() {
        List<String> docs = documents(12);
        CrossEncoderPipeline pipeline = pipeline(64, 32, 1_000_000, true, true);
        seen.clear();
        float[] expected = pipeline.score("q r", docs, this::model);
        assertEquals(1, seen.size());
        try (Lanes lanes = new Lanes(2)) {
            assertArrayEquals(expected, pipeline.score("q r", docs, lanes));
            int batches = lanes.batches.size();
            assertTrue(batches >= 2 && batches <= 3, batches + " batches"); // halves, and what does not fit them
            int[] tokens = lanes.batches.stream().mapToInt(b -> {
                int real = 0;
                for (int r = 0; r < b.rows(); r++) {
                    real += b.realTokens(r);
                }
                return real;
            }).sorted().toArray();
            int total = Arrays.stream(tokens).sum();
            assertTrue(tokens[tokens.length - 1] <= (total + 1) / 2, Arrays.toString(tokens)); // none over half
        }
    }

    @Test
    void lanes_aFailedBatch_failsTheCallOnceTheOthersHaveEnded_andTheNextCallWorks() {
        List<String> docs = documents(60);
        CrossEncoderPipeline pipeline = pipeline(64, 4, 1_000_000, true, true);
        float[] expected = pipeline.score("q r", docs, this::model);
        try (Lanes lanes = new Lanes(2)) {
            lanes.failAt = 3;
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> pipeline.score("q r", docs, lanes));
            assertEquals("batch 3 failed", e.getMessage());
            assertEquals(0, lanes.running.get(), "no batch of the failed call may still run");
            int submitted = lanes.batches.size();
            // 3 and the batches already running or started as it failed, not the call's 10
            assertTrue(submitted <= 3 + 1 + 2, "submitting stops at the failure: " + submitted);
            lanes.failAt = -1;
            assertArrayEquals(expected, pipeline.score("q r", docs, lanes));
        }
    }
}
