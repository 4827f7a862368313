package dev.reranker.djl.internal.nativemodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import dev.reranker.RerankerException;
import dev.reranker.djl.DjlReranker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints split into shards, as {@code save_pretrained} writes large models: the shard files
 * and {@code model.safetensors.index.json} mapping each tensor to its file.
 */
final class NativeShardedCheckpointTest {

    private static final String FIRST = "model-00001-of-00002.safetensors";
    private static final String SECOND = "model-00002-of-00002.safetensors";

    @TempDir
    Path temp;

    /** tiny-bert split after encoder layer 0, with an index and no model.safetensors. */
    private Path sharded(String fixture) throws IOException {
        Path dir = Checkpoints.copyWithoutWeights(fixture, temp.resolve("sharded"));
        TreeMap<String, Checkpoints.Tensor> tensors = Checkpoints.tensors(fixture);
        Map<String, Checkpoints.Tensor> first = new TreeMap<>();
        Map<String, Checkpoints.Tensor> second = new TreeMap<>();
        JsonObject weightMap = new JsonObject();
        long totalSize = 0;
        for (Map.Entry<String, Checkpoints.Tensor> e : tensors.entrySet()) {
            boolean early = e.getKey().contains("embeddings.") || e.getKey().contains("layer.0.");
            (early ? first : second).put(e.getKey(), e.getValue());
            weightMap.addProperty(e.getKey(), early ? FIRST : SECOND);
            totalSize += e.getValue().data().length;
        }
        assertTrue(first.size() > 5 && second.size() > 5, "both shards hold part of the model");
        Checkpoints.write(first, dir.resolve(FIRST));
        Checkpoints.write(second, dir.resolve(SECOND));
        JsonObject metadata = new JsonObject();
        metadata.addProperty("total_size", totalSize);
        JsonObject index = new JsonObject();
        index.add("metadata", metadata);
        index.add("weight_map", weightMap);
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        return dir;
    }

    @Test
    void shardedCheckpoint_scoresAsTheSingleFile() throws IOException {
        Path dir = sharded(Checkpoints.BERT);
        assertArrayEquals(Checkpoints.logits(Checkpoints.fixture(Checkpoints.BERT)), Checkpoints.logits(dir), 0f);
        try (DjlReranker reranker = Checkpoints.raw(dir)) {
            assertTrue(reranker.toString().contains("backend=native"), reranker.toString());
        }
    }

    @Test
    void shardedCheckpoint_xlmr_scoresAsTheSingleFile() throws IOException {
        Path dir = sharded(Checkpoints.XLMR);
        assertArrayEquals(Checkpoints.logits(Checkpoints.fixture(Checkpoints.XLMR)), Checkpoints.logits(dir), 0f);
    }

    @Test
    void index_namingAMissingShard_failsNamingTheShard() throws IOException {
        Path dir = sharded(Checkpoints.BERT);
        Files.delete(dir.resolve(SECOND));
        RerankerException e = assertThrows(RerankerException.class, () -> Checkpoints.raw(dir));
        assertTrue(e.getMessage().contains(SECOND), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors.index.json"), e.getMessage());
    }

    @Test
    void index_namingAShardOutsideTheDirectory_isRefused() throws IOException {
        Path dir = sharded(Checkpoints.BERT);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, Files.readString(index).replace("\"" + SECOND + "\"", "\"../" + SECOND + "\""));
        RerankerException e = assertThrows(RerankerException.class, () -> Checkpoints.raw(dir));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void index_withoutWeightMap_failsNamingTheIndex() throws IOException {
        Path dir = sharded(Checkpoints.BERT);
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");
        RerankerException e = assertThrows(RerankerException.class, () -> Checkpoints.raw(dir));
        assertTrue(e.getMessage().contains("model.safetensors.index.json"), e.getMessage());
        assertTrue(e.getMessage().contains("weight_map"), e.getMessage());
    }

    @Test
    void shard_missingATensorTheModelNeeds_failsNamingTheTensor() throws IOException {
        Path dir = sharded(Checkpoints.BERT);
        TreeMap<String, Checkpoints.Tensor> second = Checkpoints.read(dir.resolve(SECOND));
        second.remove("classifier.weight");
        Checkpoints.write(second, dir.resolve(SECOND));
        RerankerException e = assertThrows(RerankerException.class, () -> Checkpoints.raw(dir));
        assertTrue(e.getMessage().contains("classifier.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("[1, 32]"), e.getMessage());
    }
}
