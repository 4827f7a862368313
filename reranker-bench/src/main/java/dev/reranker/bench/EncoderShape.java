package dev.reranker.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dimensions of a BERT-style encoder that decide its arithmetic, for turning a measured rate into
 * effective GFLOP/s: work on padding does not count, so a batching that pads less scores higher.
 *
 * <p>FLOPs of one pair of {@code T} real tokens, counting a multiply-add as 2:
 *
 * <pre>
 * flops(T) = layers * ( 2 * T * (4 H^2 + 2 H I)     dense: Q, K, V and output (4 H x H), FFN up and down (2 H x I)
 *                     + 2 * 2 * T^2 * H )           attention: Q K^T and softmax(..) V, each T x T x H
 * </pre>
 *
 * with {@code H} the hidden size and {@code I} the intermediate size. Embedding lookups, LayerNorm,
 * softmax, GELU and the classification head are left out (a few percent at most).
 */
public record EncoderShape(int layers, int hidden, int intermediate) {

    public EncoderShape {
        if (layers <= 0 || hidden <= 0 || intermediate <= 0) {
            throw new IllegalArgumentException("layers, hidden and intermediate must be positive, were "
                    + layers + ", " + hidden + ", " + intermediate);
        }
    }

    /** Reads {@code num_hidden_layers}, {@code hidden_size} and {@code intermediate_size} off {@code config.json}. */
    public static EncoderShape read(Path modelDirectory) {
        Path file = modelDirectory.resolve("config.json");
        try {
            JsonObject config = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            for (String key : new String[] {"num_hidden_layers", "hidden_size", "intermediate_size"}) {
                if (!config.has(key)) {
                    throw new IllegalArgumentException(file + " has no " + key + "; cannot count the model's FLOPs");
                }
            }
            return new EncoderShape(config.get("num_hidden_layers").getAsInt(), config.get("hidden_size").getAsInt(),
                    config.get("intermediate_size").getAsInt());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** FLOPs (multiply-adds x 2) of one pair of {@code tokens} real tokens; see the class comment. */
    public double flops(int tokens) {
        double dense = 2.0 * tokens * (4.0 * hidden * hidden + 2.0 * hidden * intermediate);
        double attention = 2.0 * 2.0 * tokens * (double) tokens * hidden;
        return layers * (dense + attention);
    }
}
