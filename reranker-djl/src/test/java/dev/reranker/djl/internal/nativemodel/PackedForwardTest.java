package dev.reranker.djl.internal.nativemodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.reranker.djl.internal.CpuFeatures;
import dev.reranker.djl.internal.Engines;
import dev.reranker.internal.PaddedBatch;
import dev.reranker.internal.TokenizedPair;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inference runs a batch packed without padding through a layer program ({@code encoder_layer_onednn.pt}
 * on this CPU, else {@code encoder_layer.pt}); training runs it
 * padded and masked through DJL operations. Both must give the same logits, on rows of different
 * lengths, and inference must see weights that training changed in place.
 */
class PackedForwardTest {

    @ParameterizedTest
    @ValueSource(strings = {Checkpoints.BERT, Checkpoints.XLMR})
    void packedInference_equalsThePaddedDifferentiablePass(String fixture) {
        withModel(fixture, (model, manager, batch) -> {
            assertClose(padded(model, batch), model.logits(batch));

            // What an optimizer step does: change a layer's weights in place.
            model.parameters().get("encoder.layer.0.attention.self.query.weight").muli(1.5f);
            model.parameters().get("encoder.layer.1.output.dense.bias").addi(0.25f);
            float[][] changed = model.logits(batch);
            assertClose(padded(model, batch), changed);
        });
    }

    /**
     * Inference frees every array it makes, also when a batch fails part way: its arrays are made
     * on the model's own manager (a sub-manager per batch made the JIT compile of the per-batch
     * path 2x larger), so one left behind would live as long as the model.
     */
    @ParameterizedTest
    @ValueSource(strings = {Checkpoints.BERT, Checkpoints.XLMR})
    void inference_leavesNoArraysOnTheModelsManager(String fixture) {
        withModel(fixture, (model, manager, batch) -> {
            float[][] first = model.logits(batch);
            int live = manager.getManagedArrays().size();
            List<TokenizedPair> outOfVocabulary = List.of(new TokenizedPair(0, new int[] {1, 2, Integer.MAX_VALUE, 3},
                    new int[] {0, 0, 0, 0}));
            assertThrows(RuntimeException.class, () -> model.logits(PaddedBatch.of(outOfVocabulary, 0)));
            assertEquals(live, manager.getManagedArrays().size(), "arrays left after a failed batch");
            float[][] again = model.logits(batch);
            assertEquals(live, manager.getManagedArrays().size(), "arrays left after a batch");
            for (int r = 0; r < first.length; r++) {
                assertArrayEquals(first[r], again[r], "row " + r + " after the failed batch");
            }
        });
    }

    /** What a test does with an fp32 model of a fixture, its manager and a batch of rows of different lengths. */
    private interface ModelCheck {
        void run(CrossEncoderModel model, NDManager manager, PaddedBatch batch);
    }

    private static void withModel(String fixture, ModelCheck check) {
        Path dir = Checkpoints.fixture(fixture);
        EncoderConfig config = config(dir);
        NDManager manager = Engines.pytorch().newBaseManager();
        try (Weights weights = Weights.open(dir, manager);
                CrossEncoderModel model = new CrossEncoderModel(config, weights, manager, false)) {
            check.run(model, manager, batch(config.padTokenId(), config.typeVocabSize() > 1));
        }
    }

    /**
     * The oneDNN layer program is what runs on this CPU, and gives the portable program's logits:
     * to 1e-5 in fp32; in bf16, where the two round differently, within bf16's error of fp32. In
     * bf16 it runs only where oneDNN has bf16 (AVX-512 on x86); elsewhere the model asked for it
     * falls back to the portable program.
     */
    @ParameterizedTest
    @ValueSource(strings = {Checkpoints.BERT, Checkpoints.XLMR})
    void oneDnnLayers_equalThePortableProgram(String fixture) {
        Path dir = Checkpoints.fixture(fixture);
        EncoderConfig config = config(dir);
        PaddedBatch batch = batch(config.padTokenId(), config.typeVocabSize() > 1);
        float[][] portable = logits(dir, config, batch, false, FusedEncoder.Route.PORTABLE);
        float[][] onednn = logits(dir, config, batch, false, FusedEncoder.Route.ONEDNN);
        assertClose(portable, onednn);
        float[][] portableBf16 = logits(dir, config, batch, true, FusedEncoder.Route.PORTABLE);
        FusedEncoder.Route bf16Route = CpuFeatures.oneDnnBf16().orElse(true) ? FusedEncoder.Route.ONEDNN
                : FusedEncoder.Route.PORTABLE;
        float[][] onednnBf16 = logits(dir, config, batch, true, FusedEncoder.Route.ONEDNN, bf16Route);
        for (int r = 0; r < portable.length; r++) {
            for (int c = 0; c < portable[r].length; c++) {
                assertEquals(portable[r][c], portableBf16[r][c], 0.05, "portable bf16, row " + r);
                assertEquals(portable[r][c], onednnBf16[r][c], 0.05, "oneDNN bf16, row " + r);
            }
        }
    }

    /**
     * A CPU program that fails to load, or loads but cannot run a layer, is not used: the encoder
     * falls back to the portable program and gives its results.
     */
    @ParameterizedTest
    @ValueSource(strings = {"no_such_program", "to_bf16"})
    void unusableCpuProgram_fallsBackToThePortableOne(String program) {
        Path dir = Checkpoints.fixture(Checkpoints.BERT);
        EncoderConfig config = config(dir);
        NDManager manager = Engines.pytorch().newBaseManager();
        try (Weights weights = Weights.open(dir, manager);
                CrossEncoderModel model = new CrossEncoderModel(config, weights, manager, false, null,
                        FusedEncoder.Route.PORTABLE);
                FusedEncoder portable = new FusedEncoder(model.programLayers(), config, manager, false, (String) null);
                FusedEncoder fallback = new FusedEncoder(model.programLayers(), config, manager, false, program);
                NDManager scope = manager.newSubManager()) {
            assertEquals(FusedEncoder.Route.PORTABLE, fallback.route());
            NDArray x = scope.randomNormal(new Shape(9, config.hiddenSize()));
            NDArray lengths = scope.create(new long[] {4, 5});
            float[] expected = portable.encode(x, lengths, false).toFloatArray();
            float[] actual = fallback.encode(x, lengths, false).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6, "element " + i);
            }
        }
    }

    /** The fallback's log line gives the error a TorchScript traceback ends with, not the traceback. */
    @org.junit.jupiter.api.Test
    void summary_isTheErrorLineAfterTheTraceback() {
        String traceback = """
                The following operation failed in the TorchScript interpreter.
                Traceback of TorchScript (most recent call last):
                  File "code/__torch__.py", line 56, in forward
                      qkv = ops.mkldnn._linear_pointwise(xc, w, b, "none", [], "none")
                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ <--- HERE
                RuntimeError: could not create a primitive descriptor for the inner product
                """;
        assertEquals("RuntimeError: could not create a primitive descriptor for the inner product",
                FusedEncoder.summary(traceback));
        assertEquals("no such program: x.pt", FusedEncoder.summary("no such program: x.pt\nsecond line"));
        assertEquals("no message", FusedEncoder.summary(null));
    }

    /**
     * The last layer can compute each row's first token only; those rows equal the full last
     * layer's first-token rows, for both programs and both number formats.
     */
    @ParameterizedTest
    @ValueSource(strings = {Checkpoints.BERT, Checkpoints.XLMR})
    void firstTokensOnly_equalTheFullLastLayersFirstRows(String fixture) {
        Path dir = Checkpoints.fixture(fixture);
        EncoderConfig config = config(dir);
        long[] rows = {5, 1, 9, 3};
        long[] firsts = {0, 5, 6, 15};
        for (boolean bf16 : new boolean[] {false, true}) {
            for (String program : new String[] {null, "encoder_layer_onednn"}) {
                NDManager manager = Engines.pytorch().newBaseManager();
                try (Weights weights = Weights.open(dir, manager);
                        CrossEncoderModel model = new CrossEncoderModel(config, weights, manager, false, null,
                                FusedEncoder.Route.PORTABLE);
                        FusedEncoder encoder = new FusedEncoder(model.programLayers(), config, manager, bf16, program);
                        NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.randomNormal(new Shape(18, config.hiddenSize()));
                    NDArray lengths = scope.create(rows);
                    NDArray all = encoder.encode(x, lengths, false);
                    float[] expected = all.get(scope.create(firsts)).toFloatArray();
                    NDArray first = encoder.encode(x, lengths, true);
                    assertEquals(new Shape(rows.length, config.hiddenSize()), first.getShape());
                    float[] actual = first.toFloatArray();
                    String what = (bf16 ? "bf16 " : "fp32 ") + encoder.route();
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], actual[i], bf16 ? 0.05 : 1e-5, what + ", element " + i);
                    }
                }
            }
        }
    }

    private static EncoderConfig config(Path dir) {
        Path file = dir.resolve("config.json");
        return EncoderConfig.from(Checkpoints.json(file), file);
    }

    private static float[][] logits(Path dir, EncoderConfig config, PaddedBatch batch, boolean bf16,
            FusedEncoder.Route route) {
        return logits(dir, config, batch, bf16, route, route);
    }

    /** @param runs the program expected to run when {@code route} is asked for */
    private static float[][] logits(Path dir, EncoderConfig config, PaddedBatch batch, boolean bf16,
            FusedEncoder.Route route, FusedEncoder.Route runs) {
        NDManager manager = Engines.pytorch().newBaseManager();
        try (Weights weights = Weights.open(dir, manager);
                CrossEncoderModel model = new CrossEncoderModel(config, weights, manager, bf16, null, route)) {
            assertEquals(runs, model.route(), "the layer program that runs");
            return model.logits(batch);
        }
    }

    @org.junit.jupiter.api.Test
    void packedSize_roundsUpByAtMostAThirtySecond_toFewSizes() {
        java.util.Set<Integer> sizes = new java.util.HashSet<>();
        for (int tokens = 1; tokens <= 16384; tokens++) {
            int size = CrossEncoderModel.packedSize(tokens);
            assertTrue(size >= tokens && size <= tokens + Math.max(7, tokens / 32), tokens + " -> " + size);
            sizes.add(size);
        }
        assertTrue(sizes.size() < 400, sizes.size() + " sizes");
    }

    private static float[][] padded(CrossEncoderModel model, PaddedBatch batch) {
        try (NDManager scope = model.parameters().values().iterator().next().getManager().newSubManager()) {
            NDArray logits = model.forward(scope, batch, null);
            int labels = (int) logits.getShape().get(1);
            float[] flat = logits.toFloatArray();
            float[][] out = new float[batch.rows()][labels];
            for (int r = 0; r < out.length; r++) {
                System.arraycopy(flat, r * labels, out[r], 0, labels);
            }
            return out;
        }
    }

    private static void assertClose(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        double spread = 0;
        for (int r = 0; r < expected.length; r++) {
            for (int l = 0; l < expected[r].length; l++) {
                assertEquals(expected[r][l], actual[r][l], 1e-5, "row " + r + ", label " + l);
                spread = Math.max(spread, Math.abs(expected[r][l] - expected[0][0]));
            }
        }
        assertTrue(spread > 1e-3, "the rows' logits should differ, or the comparison proves little");
    }

    /** Rows of 3 to 17 tokens, so most rows carry padding; 63 in all, so packing adds a filler token. */
    private static PaddedBatch batch(int pad, boolean twoSegments) {
        List<TokenizedPair> pairs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int length = 3 + (i * 7) % 15;
            int[] ids = new int[length];
            int[] types = new int[length];
            for (int t = 0; t < length; t++) {
                ids[t] = 5 + (i * 13 + t * 7) % 90;
                types[t] = twoSegments && t >= length / 2 ? 1 : 0;
            }
            pairs.add(new TokenizedPair(i, ids, types));
        }
        return PaddedBatch.of(pairs, pad);
    }
}
