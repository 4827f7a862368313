package dev.reranker.djl.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * What a model directory says about the model: {@code config.json}, {@code tokenizer_config.json}
 * and {@code special_tokens_map.json}, each optional.
 */
public final class ModelFiles {

    /** Architectures whose position ids start after the padding index (RoBERTa's offset). */
    private static final Set<String> ROBERTA_FAMILY = Set.of("roberta", "xlm-roberta", "camembert");
    /** Architectures that take no token type ids whatever their tokenizer emits. */
    private static final Set<String> NO_TOKEN_TYPES = Set.of("distilbert", "roberta", "xlm-roberta", "camembert");
    /** Tokenizers write a huge sentinel when they have no limit. */
    private static final long NO_LIMIT = 1_000_000;

    private final Path directory;
    private final JsonObject config;
    private final JsonObject tokenizerConfig;
    private final JsonObject specialTokens;

    private ModelFiles(Path directory, JsonObject config, JsonObject tokenizerConfig, JsonObject specialTokens) {
        this.directory = directory;
        this.config = config;
        this.tokenizerConfig = tokenizerConfig;
        this.specialTokens = specialTokens;
    }

    public static ModelFiles read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new RerankerException("model directory " + directory + " does not exist or is not a directory;"
                    + " pass the model's directory (a Hugging Face checkpoint, or a TorchScript model.pt)"
                    + " with its tokenizer.json");
        }
        return new ModelFiles(
                directory,
                readJson(directory.resolve("config.json")),
                readJson(directory.resolve("tokenizer_config.json")),
                readJson(directory.resolve("special_tokens_map.json")));
    }

    /** Parses an optional JSON object file: absent gives an empty object, malformed is an error. */
    static JsonObject readJson(Path file) {
        if (!Files.exists(file)) {
            return new JsonObject();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement json = JsonParser.parseReader(reader);
            if (!json.isJsonObject()) {
                throw new RerankerException(file + " is not a JSON object; expected a Hugging Face "
                        + file.getFileName() + " (re-save it with save_pretrained)");
            }
            return json.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new RerankerException("could not read " + file + " as JSON: " + e.getMessage()
                    + "; expected a Hugging Face " + file.getFileName() + " (re-save it with save_pretrained)", e);
        }
    }

    /** {@code config.json}, or an empty object when there is none. */
    public JsonObject config() {
        return config;
    }

    public Path directory() {
        return directory;
    }

    /** {@code config.json}'s {@code model_type}, lower case, or "" when unknown. */
    public String modelType() {
        String type = string(config, "model_type");
        return type == null ? "" : type.toLowerCase(Locale.ROOT);
    }

    /** The largest sequence the model takes, special tokens included, or 0 when nothing says. */
    public int modelMaxLength() {
        long limit = Long.MAX_VALUE;
        Long tokenizerLimit = number(tokenizerConfig, "model_max_length");
        if (tokenizerLimit != null && tokenizerLimit > 0 && tokenizerLimit < NO_LIMIT) {
            limit = tokenizerLimit;
        }
        Long positions = number(config, "max_position_embeddings");
        if (positions != null && positions > 0) {
            long offset = ROBERTA_FAMILY.contains(modelType()) ? padTokenIdFromConfig(1) + 1 : 0;
            limit = Math.min(limit, positions - offset);
        }
        return limit == Long.MAX_VALUE ? 0 : (int) limit;
    }

    /**
     * Whether the model takes token type ids: from {@code config.json} when it says, otherwise
     * whether the tokenizer gives the two sides different types.
     */
    public boolean usesTokenTypes(boolean tokenizerDistinguishesSides) {
        if (NO_TOKEN_TYPES.contains(modelType())) {
            return false;
        }
        Long typeVocab = number(config, "type_vocab_size");
        return typeVocab != null ? typeVocab > 1 : tokenizerDistinguishesSides;
    }

    /** How to slice big batches, from {@code config.json}'s dimensions (none when it lacks them). */
    public RowSlices rowSlices() {
        Long heads = number(config, "num_attention_heads");
        Long intermediate = number(config, "intermediate_size");
        return heads == null || intermediate == null ? new RowSlices(0, 0)
                : new RowSlices(heads.intValue(), intermediate.intValue());
    }

    /** Labels the model's classifier has, or 0 when {@code config.json} does not say. */
    public int numLabels() {
        Long n = number(config, "num_labels");
        if (n != null) {
            return n.intValue();
        }
        JsonElement labels = config.get("id2label");
        return labels != null && labels.isJsonObject() ? labels.getAsJsonObject().size() : 0;
    }

    /** The pad token's text from the tokenizer's configuration, or null. */
    public String padToken() {
        String token = tokenText(tokenizerConfig.get("pad_token"));
        return token != null ? token : tokenText(specialTokens.get("pad_token"));
    }

    public int padTokenIdFromConfig(int otherwise) {
        Long id = number(config, "pad_token_id");
        return id == null ? otherwise : id.intValue();
    }

    private static String tokenText(JsonElement token) {
        if (token == null || token.isJsonNull()) {
            return null;
        }
        if (token.isJsonPrimitive()) {
            return token.getAsString();
        }
        if (token.isJsonObject() && token.getAsJsonObject().has("content")) {
            return token.getAsJsonObject().get("content").getAsString();
        }
        return null;
    }

    private static String string(JsonObject json, String key) {
        JsonElement value = json.get(key);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    private static Long number(JsonObject json, String key) {
        JsonElement value = json.get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        double d = value.getAsDouble();
        return d >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) d;
    }
}
