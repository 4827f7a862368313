package dev.reranker.djl.internal.nativemodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of a checkpoint directory: {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json}. Lookups accept the {@code bert.} / {@code roberta.} prefix or
 * none, and check each tensor's shape.
 */
final class Weights implements AutoCloseable {

    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";

    private final Path directory;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOf = new HashMap<>();
    private final NDManager manager;

    private Weights(Path directory, List<SafetensorsFile> files, NDManager manager) {
        this.directory = directory;
        this.files = files;
        this.manager = manager;
        for (SafetensorsFile file : files) {
            for (String name : file.tensors().keySet()) {
                fileOf.put(name, file);
            }
        }
    }

    static boolean present(Path directory) {
        return Files.isRegularFile(directory.resolve(SINGLE)) || Files.isRegularFile(directory.resolve(INDEX));
    }

    static Weights open(Path directory, NDManager manager) {
        if (Files.isRegularFile(directory.resolve(SINGLE))) {
            return new Weights(directory, List.of(SafetensorsFile.open(directory.resolve(SINGLE))), manager);
        }
        Path index = directory.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw missingWeights(directory);
        }
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            for (String shard : shards(index)) {
                Path file = directory.resolve(shard).normalize();
                if (!file.startsWith(directory.normalize())) {
                    throw new RerankerException(index + " lists the shard " + shard
                            + ", which is outside " + directory + "; shards must sit beside the index");
                }
                if (!Files.isRegularFile(file)) {
                    throw new RerankerException(index + " lists the shard " + shard + ", which is not in " + directory
                            + "; download the whole checkpoint again");
                }
                opened.add(SafetensorsFile.open(file));
            }
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Weights(directory, opened, manager);
    }

    static RerankerException missingWeights(Path directory) {
        if (Files.isRegularFile(directory.resolve("pytorch_model.bin"))) {
            return new RerankerException(directory + " has only pytorch_model.bin; this library reads safetensors."
                    + " Convert it once in Python: AutoModelForSequenceClassification.from_pretrained(dir)"
                    + ".save_pretrained(dir, safe_serialization=True)");
        }
        return new RerankerException("no model.safetensors or model.safetensors.index.json in " + directory
                + "; pass a Hugging Face checkpoint directory (or a TorchScript model.pt)");
    }

    private static List<String> shards(Path index) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(index)).getAsJsonObject();
            LinkedHashMap<String, Boolean> shards = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("weight_map").entrySet()) {
                shards.put(e.getValue().getAsString(), true);
            }
            return new ArrayList<>(shards.keySet());
        } catch (IOException | JsonParseException | IllegalStateException | NullPointerException e) {
            throw new RerankerException("could not read " + index + " (expected a JSON object with a weight_map): "
                    + e.getMessage(), e);
        }
    }

    /** The first of {@code names} that exists, as stored (any of the known prefixes), or null. */
    String find(String... names) {
        for (String name : names) {
            for (String prefix : new String[] {"", "bert.", "roberta."}) {
                if (fileOf.containsKey(prefix + name)) {
                    return prefix + name;
                }
            }
        }
        return null;
    }

    boolean has(String... names) {
        return find(names) != null;
    }

    /**
     * Loads a tensor as fp32, checking its shape.
     *
     * @param names the tensor's name and older aliases (e.g. {@code LayerNorm.gamma})
     */
    NDArray load(long[] expectedShape, String... names) {
        String stored = find(names);
        if (stored == null) {
            throw new RerankerException("the checkpoint in " + directory + " has no tensor " + names[0]
                    + " (expected shape " + Arrays.toString(expectedShape) + "); is it a complete "
                    + "BertForSequenceClassification / XLMRobertaForSequenceClassification checkpoint?");
        }
        SafetensorsFile file = fileOf.get(stored);
        SafetensorsFile.Tensor tensor = file.tensors().get(stored);
        if (!Arrays.equals(tensor.shape(), expectedShape)) {
            throw new RerankerException("tensor " + stored + " in " + file.path() + " has shape "
                    + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(expectedShape)
                    + " from config.json; the weights and config.json do not belong together");
        }
        return file.load(manager, tensor);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
