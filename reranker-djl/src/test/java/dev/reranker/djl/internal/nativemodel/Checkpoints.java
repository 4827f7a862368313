package dev.reranker.djl.internal.nativemodel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.ScoreMode;
import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test fixtures (src/test/resources/fixtures, see its README) as checkpoints a test can take
 * apart and write back: tensors are read here with a parser of our own, not {@link SafetensorsFile},
 * so that tests of the loader do not build their inputs with the code under test.
 */
final class Checkpoints {

    static final String BERT = "tiny-bert";
    static final String BERT_F16 = "tiny-bert-f16";
    static final String XLMR = "tiny-xlmr";

    /** Queries and documents, short and long (longer than the fixtures' 64 tokens), to score. */
    static final String QUERY = "what is the best search engine for a java library?";
    static final List<String> DOCUMENTS = List.of(
            "Paris is the most populous city in France",
            "a java library",
            "",
            "熊猫是什么",
            "UPPER case   and   extra   spaces",
            "search engine ranks relevant documents ".repeat(30).trim(),
            "what is a panda? the giant panda is a bear native to south central china ".repeat(6).trim());

    private Checkpoints() {}

    /** A tensor as stored: its dtype, shape and raw little-endian bytes. */
    record Tensor(String dtype, long[] shape, byte[] data) {

        /** The elements as floats; the tensor must be F32, F16 or BF16. */
        float[] floats() {
            ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case "F32": {
                    float[] out = new float[data.length / 4];
                    buffer.asFloatBuffer().get(out);
                    return out;
                }
                case "F16":
                case "BF16": {
                    float[] out = new float[data.length / 2];
                    for (int i = 0; i < out.length; i++) {
                        short bits = buffer.getShort();
                        out[i] = dtype.equals("F16") ? SafetensorsFile.halfToFloat(bits)
                                : Float.intBitsToFloat((bits & 0xffff) << 16);
                    }
                    return out;
                }
                default:
                    throw new IllegalArgumentException("not a float tensor: " + dtype);
            }
        }

        Tensor withShape(long... newShape) {
            return new Tensor(dtype, newShape, data);
        }
    }

    static Path fixture(String name) {
        return Fixtures.dir(name);
    }

    static JsonObject reference(String name) {
        return Fixtures.reference(name);
    }

    static JsonObject json(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a fixture's tokenizer and config, but not its weights, into {@code target}. */
    static Path copyWithoutWeights(String name, Path target) {
        try {
            Files.createDirectories(target);
            try (var files = Files.list(fixture(name))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String fileName = file.getFileName().toString();
                    if (!fileName.endsWith(".safetensors") && !fileName.equals("model.pt")) {
                        Files.copy(file, target.resolve(fileName));
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every tensor of a fixture's model.safetensors, by name in sorted order. */
    static TreeMap<String, Tensor> tensors(String name) {
        return read(fixture(name).resolve("model.safetensors"));
    }

    static TreeMap<String, Tensor> read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = Math.toIntExact(buffer.getLong());
            JsonObject header = JsonParser.parseString(
                    new String(bytes, 8, headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
            TreeMap<String, Tensor> tensors = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonObject t = e.getValue().getAsJsonObject();
                JsonArray shapeJson = t.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                }
                int begin = 8 + headerLength + t.getAsJsonArray("data_offsets").get(0).getAsInt();
                int end = 8 + headerLength + t.getAsJsonArray("data_offsets").get(1).getAsInt();
                tensors.put(e.getKey(), new Tensor(t.get("dtype").getAsString(), shape, Arrays.copyOfRange(bytes, begin, end)));
            }
            return tensors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the tensors as they are (same dtypes and bytes) with {@link SafetensorsWriter}. */
    static void write(Map<String, Tensor> tensors, Path file) {
        SafetensorsWriter writer = new SafetensorsWriter();
        tensors.forEach((name, t) -> writer.putRaw(name, t.dtype(), t.shape(), t.data()));
        writer.write(file);
    }

    /** Writes the float tensors re-encoded as {@code dtype}. */
    static void write(Map<String, Tensor> tensors, SafetensorsWriter.Dtype dtype, Path file) {
        SafetensorsWriter writer = new SafetensorsWriter();
        tensors.forEach((name, t) -> writer.put(name, t.floats(), t.shape(), dtype));
        writer.write(file);
    }

    /** The fixture's tokenizer and config with these weights as model.safetensors. */
    static Path checkpoint(String fixture, Map<String, Tensor> tensors, Path target) {
        copyWithoutWeights(fixture, target);
        write(tensors, target.resolve("model.safetensors"));
        return target;
    }

    static DjlReranker raw(Path dir) {
        return DjlReranker.builder().model(dir).scoreMode(ScoreMode.RAW).build();
    }

    /** Raw logits for {@link #QUERY} and {@link #DOCUMENTS}. */
    static float[] logits(Path dir) {
        try (DjlReranker reranker = raw(dir)) {
            return reranker.score(QUERY, DOCUMENTS);
        }
    }

    /** Renames tensors: each name has every {@code from} replaced by {@code to}. */
    static TreeMap<String, Tensor> renamed(Map<String, Tensor> tensors, String from, String to) {
        TreeMap<String, Tensor> out = new TreeMap<>();
        tensors.forEach((name, t) -> out.put(name.replace(from, to), t));
        return out;
    }

    /** The reference cases of a fixture's first setting: default truncation at the model's own max length. */
    static List<JsonObject> referenceCases(String fixture) {
        List<JsonObject> cases = new ArrayList<>();
        JsonObject setting = reference(fixture).getAsJsonArray("settings").get(0).getAsJsonObject();
        if (!setting.get("max_length").isJsonNull()) {
            throw new IllegalStateException("expected the first setting to use the model's own max length");
        }
        for (JsonElement c : setting.getAsJsonArray("cases")) {
            cases.add(c.getAsJsonObject());
        }
        return cases;
    }
}
