package dev.reranker.djl.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.djl.Fixtures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

/** Safetensors names, and a plain-encoder copy of a fixture (no pooler, no head, no prefix). */
final class EncoderCheckpoints {

    private EncoderCheckpoints() {}

    /** The tensor names in a safetensors file's header. */
    static TreeSet<String> names(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) length, java.nio.charset.StandardCharsets.UTF_8))
                .getAsJsonObject();
        TreeSet<String> names = new TreeSet<>(header.keySet());
        names.remove("__metadata__");
        return names;
    }

    /** The fixture's names as Hugging Face's save_pretrained writes them, minus buffers such as position_ids. */
    static TreeSet<String> expectedNames(String fixture) throws IOException {
        TreeSet<String> names = names(Fixtures.dir(fixture).resolve("model.safetensors"));
        names.removeIf(n -> n.endsWith("position_ids") || n.startsWith("roberta.pooler."));
        return names;
    }

    /**
     * Copies {@code fixture} with dropout off. At dropout 0.1 a model of width 32 learns even a
     * one-word cue only after hundreds of steps (each dropped unit is a thirty-second of the
     * signal); real models are wider and do not need this.
     */
    static Path withoutDropout(String fixture, Path target) throws IOException {
        Files.createDirectories(target);
        try (var files = Files.list(Fixtures.dir(fixture))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName().toString()));
            }
        }
        Path configFile = target.resolve("config.json");
        JsonObject config = JsonParser.parseString(Files.readString(configFile)).getAsJsonObject();
        config.addProperty("hidden_dropout_prob", 0.0);
        config.addProperty("attention_probs_dropout_prob", 0.0);
        Files.writeString(configFile, config.toString());
        return target;
    }

    /**
     * Writes {@code fixture} as a plain encoder: architectures {@code BertModel}, no labels, and no
     * pooler or classifier tensors, with names stripped of the {@code bert.} prefix, as
     * sentence-transformers exports encoders.
     */
    static Path headless(String fixture, Path target) throws IOException {
        Files.createDirectories(target);
        Path source = Fixtures.dir(fixture);
        for (String name : new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"}) {
            if (Files.exists(source.resolve(name))) {
                Files.copy(source.resolve(name), target.resolve(name));
            }
        }
        JsonObject config = JsonParser.parseString(Files.readString(source.resolve("config.json"))).getAsJsonObject();
        config.add("architectures", JsonParser.parseString("[\"BertModel\"]"));
        config.remove("id2label");
        config.remove("label2id");
        config.remove("num_labels");
        config.addProperty("hidden_dropout_prob", 0.0);
        config.addProperty("attention_probs_dropout_prob", 0.0);
        Files.writeString(target.resolve("config.json"), config.toString());
        dev.reranker.djl.internal.nativemodel.SafetensorsCopy.copy(source.resolve("model.safetensors"),
                target.resolve("model.safetensors"),
                name -> name.startsWith("classifier") || name.contains("pooler") ? null : name.replaceFirst("^bert\\.", ""));
        return target;
    }
}
