package dev.reranker.djl.internal.nativemodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;

import dev.reranker.djl.internal.ModelBackend;
import dev.reranker.djl.train.Loss;
import dev.reranker.internal.PaddedBatch;
import dev.reranker.internal.TokenizedPair;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trained weights survive save and load bit for bit: the loaded model gives the trained model's logits. */
class TrainableModelSaveTest {

    @TempDir
    Path dir;

    @Test
    void save_thenLoad_sameLogits() {
        check(Checkpoints.BERT);
    }

    @Test
    void save_thenLoad_sameLogits_xlmRoberta() {
        check(Checkpoints.XLMR);
    }

    private void check(String fixture) {
        Path source = Checkpoints.fixture(fixture);
        PaddedBatch batch = batch(fixture.equals(Checkpoints.XLMR) ? 1 : 0);
        float[][] trained;
        try (TrainableModel model = TrainableModel.load(source, Checkpoints.json(source.resolve("config.json")),
                Device.cpu(), 3)) {
            float[][] before = model.logits(batch);
            for (int step = 0; step < 3; step++) {
                model.accumulate(batch, 4, Loss.LISTWISE, 1f, 1f);
                model.update(1e-2f, 0.01f, 1f);
            }
            trained = model.logits(batch);
            assertFalse(before[0][0] == trained[0][0], "the steps changed the model");
            model.save(dir);
        }
        try (NativeBackend loaded = NativeBackend.load(dir, Checkpoints.json(dir.resolve("config.json")), Device.cpu(), false);
                ModelBackend.Session session = loaded.newSession()) {
            float[][] logits = session.logits(batch);
            assertEquals(trained.length, logits.length);
            for (int r = 0; r < logits.length; r++) {
                assertArrayEquals(trained[r], logits[r], 0f, "row " + r);
            }
        }
    }

    private static PaddedBatch batch(int pad) {
        List<TokenizedPair> pairs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] ids = {2, 10 + i, 20, 3, 30 + i, 40, 50 + i, 3};
            pairs.add(new TokenizedPair(i, java.util.Arrays.copyOf(ids, 8 - i % 3), new int[8 - i % 3]));
        }
        return PaddedBatch.of(pairs, pad);
    }
}
