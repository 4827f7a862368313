package dev.reranker.djl.internal.nativemodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.reranker.djl.DjlReranker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The safetensors variants found in the wild load and score as the model they hold. */
final class SafetensorsFormatsTest {

    @TempDir
    Path temp;

    /**
     * A BF16 checkpoint scores as the F32 model with its weights rounded to BF16 (the loader widens
     * exactly, without DJL's BFLOAT16 arrays), and close to the F32 reference.
     *
     * <p>The tolerance is derived from this model's own sensitivity: rounding to BF16 (8 significant
     * bits) perturbs each weight 8 times as much as rounding to F16 (11 bits), so to first order it
     * moves the logits about 8 times as far as an F16 copy of the same weights does. The F16 copy
     * moves them by at most ~0.005 (tiny-bert's random weights are large, so it is sensitive), BF16
     * then by ~0.04 (measured: 0.051); the tolerance is twice the estimate. Orders are required only
     * between documents whose reference logits are more than twice the tolerance apart; closer ones
     * may swap legitimately.
     */
    @Test
    void bf16Copy_scoresAsTheRoundedWeights_andWithinBf16ToleranceOfTheReference() {
        TreeMap<String, Checkpoints.Tensor> f32 = Checkpoints.tensors(Checkpoints.BERT);
        Path bf16Dir = Checkpoints.copyWithoutWeights(Checkpoints.BERT, temp.resolve("bf16"));
        Checkpoints.write(f32, SafetensorsWriter.Dtype.BF16, bf16Dir.resolve("model.safetensors"));
        Checkpoints.read(bf16Dir.resolve("model.safetensors"))
                .forEach((name, t) -> assertEquals("BF16", t.dtype(), name));

        // The same rounding, done here and stored as F32: the loader must give exactly these weights.
        TreeMap<String, Checkpoints.Tensor> rounded = new TreeMap<>();
        f32.forEach((name, t) -> {
            float[] values = t.floats();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                bytes.putFloat(Float.intBitsToFloat((bits(v) + 0x7fff + ((bits(v) >>> 16) & 1)) & 0xffff0000));
            }
            rounded.put(name, new Checkpoints.Tensor("F32", t.shape(), bytes.array()));
        });
        Path roundedDir = Checkpoints.checkpoint(Checkpoints.BERT, rounded, temp.resolve("rounded"));
        assertArrayEquals(Checkpoints.logits(roundedDir), Checkpoints.logits(bf16Dir), 1e-5f);

        Path f16Dir = Checkpoints.copyWithoutWeights(Checkpoints.BERT, temp.resolve("f16"));
        Checkpoints.write(f32, SafetensorsWriter.Dtype.F16, f16Dir.resolve("model.safetensors"));
        List<JsonObject> cases = Checkpoints.referenceCases(Checkpoints.BERT);
        float[] reference = new float[cases.size()];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = lastLogit(cases.get(i));
        }
        float[] f16 = referenceLogits(f16Dir, cases);
        float[] bf16 = referenceLogits(bf16Dir, cases);
        double f16Deviation = largestDifference(reference, f16);
        double bf16Deviation = largestDifference(reference, bf16);
        double tolerance = 2 * 8 * f16Deviation;
        assertTrue(f16Deviation > 0 && tolerance < 0.1, "F16 rounding moved the logits by " + f16Deviation);
        assertTrue(bf16Deviation > f16Deviation, "BF16 is coarser than F16; were F32 weights read?");
        for (int i = 0; i < reference.length; i++) {
            assertEquals(reference[i], bf16[i], tolerance, cases.get(i).get("document").getAsString());
        }

        int ordered = 0;
        for (int a = 0; a < reference.length; a++) {
            for (int b = 0; b < reference.length; b++) {
                String query = cases.get(a).get("query").getAsString();
                if (query.equals(cases.get(b).get("query").getAsString()) && reference[a] - reference[b] > 2 * tolerance) {
                    assertTrue(bf16[a] > bf16[b], "ranking for " + query + " changed under BF16: case " + a + ", " + b);
                    ordered++;
                }
            }
        }
        assertTrue(ordered >= 5, "the reference must have documents far enough apart to rank, had " + ordered);
    }

    /** Raw logits of each reference case, scored one pair at a time. */
    private static float[] referenceLogits(Path dir, List<JsonObject> cases) {
        try (DjlReranker reranker = Checkpoints.raw(dir)) {
            float[] out = new float[cases.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = reranker.score(cases.get(i).get("query").getAsString(),
                        List.of(cases.get(i).get("document").getAsString()))[0];
            }
            return out;
        }
    }

    private static double largestDifference(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    private static int bits(float v) {
        return Float.floatToRawIntBits(v);
    }

    private static float lastLogit(JsonObject referenceCase) {
        JsonArray logits = referenceCase.getAsJsonArray("logits");
        return logits.get(logits.size() - 1).getAsFloat();
    }

    /** tiny-bert-f16 decoded to floats and encoded again is the same file's data, bit for bit, and scores the same. */
    @Test
    void f16_roundTrip_isTheFixtureBitForBit_andScoresAsIt() {
        TreeMap<String, Checkpoints.Tensor> original = Checkpoints.tensors(Checkpoints.BERT_F16);
        Path dir = Checkpoints.copyWithoutWeights(Checkpoints.BERT_F16, temp.resolve("f16"));
        Checkpoints.write(original, SafetensorsWriter.Dtype.F16, dir.resolve("model.safetensors"));
        TreeMap<String, Checkpoints.Tensor> again = Checkpoints.read(dir.resolve("model.safetensors"));
        assertEquals(original.keySet(), again.keySet());
        original.forEach((name, t) -> {
            assertEquals("F16", again.get(name).dtype(), name);
            assertArrayEquals(t.shape(), again.get(name).shape(), name);
            assertArrayEquals(t.data(), again.get(name).data(), name);
        });
        assertArrayEquals(Checkpoints.logits(Checkpoints.fixture(Checkpoints.BERT_F16)), Checkpoints.logits(dir), 0f);
        try (DjlReranker reranker = Checkpoints.raw(dir)) {
            for (JsonObject c : Checkpoints.referenceCases(Checkpoints.BERT_F16)) {
                assertEquals(lastLogit(c), reranker.score(c.get("query").getAsString(),
                        List.of(c.get("document").getAsString()))[0], 1e-4, c.get("document").getAsString());
            }
        }
    }

    /** The same weights as F32 and widened from F16 score identically: F16 loading is exact. */
    @Test
    void f16_asF32_scoresTheSame() {
        TreeMap<String, Checkpoints.Tensor> widened = new TreeMap<>();
        Checkpoints.tensors(Checkpoints.BERT_F16).forEach((name, t) -> {
            float[] values = t.floats();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                bytes.putFloat(v);
            }
            widened.put(name, new Checkpoints.Tensor("F32", t.shape(), bytes.array()));
        });
        Path dir = Checkpoints.checkpoint(Checkpoints.BERT_F16, widened, temp.resolve("f32"));
        assertArrayEquals(Checkpoints.logits(Checkpoints.fixture(Checkpoints.BERT_F16)), Checkpoints.logits(dir), 1e-6f);
    }

    @Test
    void integerTensors_likePositionIds_areIgnored() {
        TreeMap<String, Checkpoints.Tensor> tensors = Checkpoints.tensors(Checkpoints.BERT);
        ByteBuffer ids = ByteBuffer.allocate(64 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < 64; i++) {
            ids.putLong(i);
        }
        tensors.put("bert.embeddings.position_ids", new Checkpoints.Tensor("I64", new long[] {1, 64}, ids.array()));
        tensors.put("bert.embeddings.token_type_ids", new Checkpoints.Tensor("I64", new long[] {1, 64}, new byte[64 * 8]));
        Path dir = Checkpoints.checkpoint(Checkpoints.BERT, tensors, temp.resolve("ids"));
        assertEquals("I64", Checkpoints.read(dir.resolve("model.safetensors")).get("bert.embeddings.position_ids").dtype());
        assertArrayEquals(Checkpoints.logits(Checkpoints.fixture(Checkpoints.BERT)), Checkpoints.logits(dir), 0f);
    }

    @ParameterizedTest
    @ValueSource(strings = {Checkpoints.BERT, Checkpoints.XLMR})
    void namesWithoutTheModelPrefix_load(String fixture) {
        TreeMap<String, Checkpoints.Tensor> tensors = Checkpoints.tensors(fixture);
        String prefix = fixture.equals(Checkpoints.BERT) ? "bert." : "roberta.";
        TreeMap<String, Checkpoints.Tensor> bare = new TreeMap<>();
        tensors.forEach((name, t) -> bare.put(name.startsWith(prefix) ? name.substring(prefix.length()) : name, t));
        assertTrue(bare.containsKey("embeddings.word_embeddings.weight"), bare.keySet().toString());
        assertTrue(bare.keySet().stream().noneMatch(n -> n.startsWith(prefix)));
        Path dir = Checkpoints.checkpoint(fixture, bare, temp.resolve("bare"));
        assertArrayEquals(Checkpoints.logits(Checkpoints.fixture(fixture)), Checkpoints.logits(dir), 0f);
    }

    /** Checkpoints saved by old transformers versions call LayerNorm's weight and bias gamma and beta. */
    @ParameterizedTest
    @ValueSource(strings = {Checkpoints.BERT, Checkpoints.XLMR})
    void oldLayerNormNames_gammaAndBeta_load(String fixture) {
        TreeMap<String, Checkpoints.Tensor> tensors = Checkpoints.tensors(fixture);
        TreeMap<String, Checkpoints.Tensor> old = Checkpoints.renamed(
                Checkpoints.renamed(tensors, "LayerNorm.weight", "LayerNorm.gamma"), "LayerNorm.bias", "LayerNorm.beta");
        assertEquals(tensors.size(), old.size());
        long renamed = old.keySet().stream().filter(n -> n.endsWith("LayerNorm.gamma") || n.endsWith("LayerNorm.beta")).count();
        assertEquals(2 + 2 * 2 * 2, renamed, "embeddings' and each layer's two LayerNorms");
        Path dir = Checkpoints.checkpoint(fixture, old, temp.resolve("old"));
        assertArrayEquals(Checkpoints.logits(Checkpoints.fixture(fixture)), Checkpoints.logits(dir), 0f);
    }
}
