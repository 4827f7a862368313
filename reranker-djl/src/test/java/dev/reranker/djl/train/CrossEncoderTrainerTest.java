package dev.reranker.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.RerankerException;
import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.Fixtures;
import dev.reranker.eval.Evaluation;
import dev.reranker.eval.JudgedQuery;
import dev.reranker.eval.RankingEvaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrossEncoderTrainerTest {

    private static final TrainingData TRAIN = TrainingData.of(SyntheticRelevance.examples(96, 7, 1));
    private static final List<JudgedQuery> EVAL = TrainingData.of(SyntheticRelevance.examples(40, 9, 2)).judged();

    @TempDir
    Path dir;

    /** The fixture without dropout, so a few epochs learn (see {@link EncoderCheckpoints#withoutDropout}). */
    private CrossEncoderTrainer.Builder tiny(String fixture) {
        try {
            Path copy = dir.resolve("model-" + fixture);
            return settings(Files.isDirectory(copy) ? copy : EncoderCheckpoints.withoutDropout(fixture, copy));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CrossEncoderTrainer.Builder settings(Path model) {
        return CrossEncoderTrainer.builder()
                .model(model)
                .learningRate(2e-3)
                .batchSize(8)
                .groupSize(4)
                .maxLength(32);
    }

    @Test
    void training_lowersLossAndRaisesNdcg() {
        TrainingResult result = tiny("tiny-bert").epochs(4).build().train(TRAIN, EVAL, dir.resolve("out"));
        List<EpochResult> epochs = result.epochs();
        assertEquals(4, epochs.size());
        assertTrue(epochs.get(3).meanLoss() < epochs.get(0).meanLoss() * 0.7,
                "loss fell from " + epochs.get(0).meanLoss() + " to " + epochs.get(3).meanLoss());
        assertTrue(result.after().ndcg() > result.before().ndcg() + 0.1,
                "NDCG@10 went from " + result.before() + " to " + result.after());
        Evaluation best = result.epochs().get(result.bestEpoch() - 1).evaluation();
        assertEquals(best, result.after());
        for (EpochResult e : epochs) {
            assertTrue(e.evaluation().ndcg() <= result.after().ndcg(), "the best epoch is kept");
        }
    }

    @Test
    void savedCheckpoint_loadsWithTheMetricsTrainingReported() {
        Path out = dir.resolve("out");
        TrainingResult result = tiny("tiny-bert").epochs(2).build().train(TRAIN, EVAL, out);
        assertEquals(out, result.output());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "vocab.txt", "special_tokens_map.json")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        try (DjlReranker reranker = DjlReranker.builder().model(out).maxLength(32).build()) {
            Evaluation loaded = RankingEvaluator.builder().build().evaluate(reranker, EVAL);
            assertEquals(result.after().ndcg(), loaded.ndcg(), 1e-9);
            assertEquals(result.after().map(), loaded.map(), 1e-9);
        }
    }

    @Test
    void sameSeed_sameWeights_otherSeed_otherWeights() throws IOException {
        // With the fixture's own dropout: its masks come from the seeded generator too.
        CrossEncoderTrainer.Builder builder = settings(Fixtures.dir("tiny-bert")).epochs(1).seed(7);
        builder.build().train(TRAIN, dir.resolve("a"));
        builder.build().train(TRAIN, dir.resolve("b"));
        builder.seed(8).build().train(TRAIN, dir.resolve("c"));
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))));
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void everyLoss_lowersItsLoss(Loss loss) {
        TrainingResult result = tiny("tiny-bert").loss(loss).epochs(3).build().train(TRAIN, EVAL, dir.resolve("out"));
        double first = result.epochs().get(0).meanLoss();
        double last = result.epochs().get(2).meanLoss();
        assertTrue(last < first, loss + " loss went from " + first + " to " + last);
        assertTrue(result.after().ndcg() > result.before().ndcg(), loss + ": " + result.before() + " -> " + result.after());
    }

    @Test
    void encoderOnlyCheckpoint_getsAFreshHead_andSavesALoadableCrossEncoder() throws IOException {
        Path encoder = EncoderCheckpoints.headless("tiny-bert", dir.resolve("encoder"));
        Path out = dir.resolve("out");
        TrainingResult result = settings(encoder).epochs(3).build().train(TRAIN, EVAL, out);
        assertTrue(result.after().ndcg() > result.before().ndcg(), result.before() + " -> " + result.after());
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertEquals("BertForSequenceClassification", config.getAsJsonArray("architectures").get(0).getAsString());
        assertEquals(1, config.get("num_labels").getAsInt());
        assertEquals("LABEL_0", config.getAsJsonObject("id2label").get("0").getAsString());
        assertEquals(EncoderCheckpoints.expectedNames("tiny-bert"), EncoderCheckpoints.names(out.resolve("model.safetensors")));
        try (DjlReranker reranker = DjlReranker.builder().model(out).maxLength(32).build()) {
            assertEquals(result.after().ndcg(), RankingEvaluator.builder().build().evaluate(reranker, EVAL).ndcg(), 1e-9);
        }
    }

    @Test
    void xlmRoberta_withHardNegatives() throws IOException {
        Path out = dir.resolve("out");
        List<TrainingProgress> reports = new ArrayList<>();
        TrainingResult result = tiny("tiny-xlmr").hardNegatives(true).hardNegativePool(6).epochs(2)
                .progress(reports::add).build().train(TRAIN, EVAL, out);
        assertEquals(2 * 12, reports.size(), "one report per optimizer step: 96 queries / 8 per step, twice");
        assertEquals(24, reports.get(23).step());
        assertEquals(24, reports.get(23).steps());
        assertEquals(2, reports.get(23).epoch());
        assertTrue(result.after().ndcg() > result.before().ndcg(), result.before() + " -> " + result.after());
        assertEquals(EncoderCheckpoints.expectedNames("tiny-xlmr"), EncoderCheckpoints.names(out.resolve("model.safetensors")));
        try (DjlReranker reranker = DjlReranker.builder().model(out).maxLength(32).build()) {
            assertEquals(result.after().ndcg(), RankingEvaluator.builder().build().evaluate(reranker, EVAL).ndcg(), 1e-9);
        }
    }

    @Test
    void twoLabelModel_trainsTheDifferenceOfItsLogits_andKeepsTwoLabels() throws IOException {
        Path out = dir.resolve("out");
        TrainingResult result = tiny("tiny-bert-2label").epochs(3).build().train(TRAIN, EVAL, out);
        assertTrue(result.after().ndcg() > result.before().ndcg(), result.before() + " -> " + result.after());
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertEquals(2, config.get("num_labels").getAsInt());
    }

    @Test
    void gradientAccumulation_stepsOncePerGroupOfMicroBatches() throws IOException {
        List<TrainingProgress> reports = new ArrayList<>();
        tiny("tiny-bert").batchSize(10).gradientAccumulation(4).progress(reports::add).build()
                .train(TRAIN, dir.resolve("out"));
        // 96 queries / 10 = 10 micro-batches; steps after micro-batches 4, 8 and 10.
        assertEquals(3, reports.size());
        assertEquals(3, reports.get(2).steps());
    }

    @Test
    void withoutEvalData_savesTheLastEpoch() throws IOException {
        TrainingResult result = tiny("tiny-bert").epochs(2).build().train(TRAIN, dir.resolve("out"));
        assertEquals(2, result.bestEpoch());
        assertEquals(null, result.before());
        assertEquals(null, result.after());
        assertNotNull(result.epochs().get(1));
    }

    @Test
    void interrupted_stopsBetweenSteps_andTheNextRunWorks() throws IOException {
        CrossEncoderTrainer trainer = tiny("tiny-bert").progress(p -> Thread.currentThread().interrupt()).build();
        RerankerException e = assertThrows(RerankerException.class, () -> trainer.train(TRAIN, dir.resolve("a")));
        assertTrue(Thread.interrupted(), "the interrupt stays set for the caller");
        assertEquals("training was interrupted in epoch 1 after 1 steps; nothing was saved", e.getMessage());
        assertEquals(1, tiny("tiny-bert").build().train(TRAIN, dir.resolve("b")).bestEpoch());
    }

    @Test
    void twoThreads_trainOneAfterTheOther() throws Exception {
        CrossEncoderTrainer trainer = tiny("tiny-bert").build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> trainer.train(TRAIN, dir.resolve("a")));
            var b = pool.submit(() -> trainer.train(TRAIN, dir.resolve("b")));
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/model.safetensors")),
                Files.readAllBytes(dir.resolve("b/model.safetensors")));
    }

    @Test
    void torchScriptModel_refusedWithWhatTrainingNeeds() {
        Path model = Fixtures.dir("tiny-bert-torchscript");
        RerankerException e = assertThrows(RerankerException.class,
                () -> settings(model).build().train(TRAIN, dir.resolve("out")));
        assertEquals(model + " has only a TorchScript model.pt, which cannot be trained; training starts from a"
                + " Hugging Face checkpoint (config.json, model.safetensors)", e.getMessage());
    }

    @Test
    void outputIsTheModel_refused() {
        Path model = Fixtures.dir("tiny-bert");
        RerankerException e = assertThrows(RerankerException.class,
                () -> settings(model).build().train(TRAIN, model));
        assertTrue(e.getMessage().contains("is the model being trained"), e.getMessage());
    }

    @Test
    void groupLargerThanTheData_refusedWithTheCount() {
        TrainingData small = TrainingData.of(SyntheticRelevance.examples(1, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(Fixtures.dir("tiny-bert")).groupSize(8).build().train(small, dir.resolve("out")));
        assertEquals("groupSize 8 needs at least that many distinct documents in the training data, which has 3",
                e.getMessage());
    }

    @Test
    void builder_rejectsBadSettings() {
        CrossEncoderTrainer.Builder b = CrossEncoderTrainer.builder();
        assertEquals("groupSize must be at least 2 (a positive and a negative), was 1",
                assertThrows(IllegalArgumentException.class, () -> b.groupSize(1)).getMessage());
        assertEquals("epochs must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> b.epochs(0)).getMessage());
        assertEquals("learningRate must be positive and finite, was NaN",
                assertThrows(IllegalArgumentException.class, () -> b.learningRate(Double.NaN)).getMessage());
        assertEquals("warmupRatio must be in [0, 1), was 1.0",
                assertThrows(IllegalArgumentException.class, () -> b.warmupRatio(1)).getMessage());
        assertEquals("margin must be zero or positive, was -1.0",
                assertThrows(IllegalArgumentException.class, () -> b.margin(-1)).getMessage());
        assertEquals("model must be an existing directory or a Hugging Face model id (organisation/name), was"
                + " \"no such dir/or id\"",
                assertThrows(IllegalArgumentException.class, () -> b.model("no such dir/or id")).getMessage());
        assertThrows(IllegalStateException.class, b::build);
    }
}
