package dev.reranker.djl.internal.nativemodel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import dev.reranker.djl.train.Loss;
import dev.reranker.internal.PaddedBatch;
import dev.reranker.internal.TokenizedPair;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backward through the native forward pass agrees with finite differences of the loss, for a tensor
 * of every kind (head, pooler, attention, feed-forward, embeddings, LayerNorm) and every loss.
 */
class TrainableModelGradientTest {
    @TempDir Path dir;
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Loss.class)
    void gradients_matchFiniteDifferences(Loss loss) throws Exception {
        Path src = Checkpoints.fixture("tiny-bert");
        for (String f : new String[]{"model.safetensors","tokenizer.json","vocab.txt"}) if (Files.exists(src.resolve(f))) Files.copy(src.resolve(f), dir.resolve(f));
        JsonObject c = Checkpoints.json(src.resolve("config.json"));
        c.addProperty("hidden_dropout_prob", 0); c.addProperty("attention_probs_dropout_prob", 0);
        Files.writeString(dir.resolve("config.json"), c.toString());
        try (TrainableModel m = TrainableModel.load(dir, c, Device.cpu(), 1)) {
            CrossEncoderModel model = m.model();
            Random r = new Random(1);
            List<TokenizedPair> pairs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int len = 6 + r.nextInt(6);
                int[] ids = new int[len]; int[] types = new int[len];
                for (int t = 0; t < len; t++) { ids[t] = 5 + r.nextInt(200); types[t] = t < 4 ? 0 : 1; }
                ids[0] = 2;
                pairs.add(new TokenizedPair(i, ids, types));
            }
            PaddedBatch batch = PaddedBatch.of(pairs, 0);
            for (String name : new String[]{"classifier.weight", "pooler.dense.weight", "encoder.layer.0.attention.self.query.weight", "encoder.layer.1.output.dense.weight", "embeddings.word_embeddings.weight", "embeddings.LayerNorm.weight", "encoder.layer.1.attention.output.LayerNorm.bias"}) {
                NDArray p = model.parameters().get(name);
                m.zeroGradients();
                m.accumulate(batch, 4, loss, 1f, 1f);
                NDArray g = p.getGradient();
                float[] gf = g.toFloatArray();
                int idx = 0; for (int i = 0; i < gf.length; i++) if (Math.abs(gf[i]) > Math.abs(gf[idx])) idx = i;
                float[] flat = p.toFloatArray();
                double eps = 1e-2;
                float orig = flat[idx];
                assign(p, set(flat, idx, (float)(orig + eps)));
                float lp = m.accumulate(batch, 4, loss, 1f, 1f);
                assign(p, set(flat, idx, (float)(orig - eps)));
                float lm = m.accumulate(batch, 4, loss, 1f, 1f);
                assign(p, set(flat, idx, orig));
                double numeric = (lp - lm) / (2 * eps);
                org.junit.jupiter.api.Assertions.assertEquals(numeric, gf[idx], 0.02 * Math.abs(numeric) + 1e-4,
                        loss + " " + name + "[" + idx + "]");
            }
        }
    }
    static float[] set(float[] a, int i, float v) { float[] b = a.clone(); b[i] = v; return b; }

    /**
     * Overwrites a parameter in place, outside autograd: libtorch refuses an in-place write to a leaf
     * that requires grad while grad mode is on, and grad mode is per thread (this test must not depend
     * on what an earlier test left on its thread).
     */
    static void assign(NDArray p, float[] values) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            p.set(new NDIndex("..."), p.getManager().create(values).reshape(p.getShape()));
        } finally {
            JniUtils.setGradMode(was);
        }
    }
}
