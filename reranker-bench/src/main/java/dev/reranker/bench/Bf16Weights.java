package dev.reranker.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.djl.internal.nativemodel.SafetensorsWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of a checkpoint directory whose floating-point weights are stored as bf16: what a bf16
 * multiply sees of the weights, for {@link Bf16Agreement}'s {@code --route bf16-weights}. Loaded in
 * fp32, the copy computes with the weights rounded and nothing else.
 */
final class Bf16Weights {

    private Bf16Weights() {}

    /**
     * Copies every file of {@code model} into {@code target}, each {@code .safetensors} file with
     * its F32 tensors rewritten as BF16 (other dtypes as they are).
     *
     * @throws IllegalArgumentException if the directory holds no {@code .safetensors} file
     */
    static void copy(Path model, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(model)) {
            files = list.filter(Files::isRegularFile).toList();
        }
        if (files.stream().noneMatch(Bf16Weights::isSafetensors)) {
            throw new IllegalArgumentException("--route bf16-weights needs safetensors weights, and " + model
                    + " has no .safetensors file");
        }
        for (Path file : files) {
            Path to = target.resolve(file.getFileName().toString());
            if (isSafetensors(file)) {
                rewrite(file, to);
            } else {
                Files.copy(file, to);
            }
        }
    }

    private static boolean isSafetensors(Path file) {
        return file.getFileName().toString().endsWith(".safetensors");
    }

    private static void rewrite(Path file, Path to) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--route bf16-weights reads each .safetensors file into one buffer, "
                        + "so at most 2 GB; " + file + " has " + channel.size() + " bytes");
            }
            ByteBuffer all = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = Math.toIntExact(all.getLong(0));
            byte[] headerBytes = new byte[headerLength];
            all.get(8, headerBytes);
            JsonObject header = JsonParser.parseString(new String(headerBytes, StandardCharsets.UTF_8)).getAsJsonObject();
            int dataStart = 8 + headerLength;
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonObject tensor = e.getValue().getAsJsonObject();
                String dtype = tensor.get("dtype").getAsString();
                JsonArray dims = tensor.getAsJsonArray("shape");
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i).getAsLong();
                }
                JsonArray offsets = tensor.getAsJsonArray("data_offsets");
                int begin = dataStart + offsets.get(0).getAsInt();
                int end = dataStart + offsets.get(1).getAsInt();
                if (dtype.equals("F32")) {
                    float[] values = new float[(end - begin) / 4];
                    all.slice(begin, end - begin).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                    writer.put(e.getKey(), values, shape, SafetensorsWriter.Dtype.BF16);
                } else {
                    byte[] raw = new byte[end - begin];
                    all.get(begin, raw);
                    writer.putRaw(e.getKey(), dtype, shape, raw);
                }
            }
        }
        writer.write(to);
    }
}
