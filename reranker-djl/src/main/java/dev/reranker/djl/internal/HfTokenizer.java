package dev.reranker.djl.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.reranker.RerankerException;
import dev.reranker.internal.CrossEncoderPipeline;
import dev.reranker.internal.PairTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's binding of the Rust {@code tokenizers} library,
 * used only to turn text into token ids: truncation, special tokens and padding are ours, so the
 * settings baked into {@code tokenizer.json} (real ones often pad to 128) play no part.
 */
public final class HfTokenizer implements CrossEncoderPipeline.Tokens, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(HfTokenizer.class);

    private final HuggingFaceTokenizer tokenizer;
    private final PairTemplate template;
    private final int padId;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, PairTemplate template, int padId) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.padId = padId;
    }

    public static HfTokenizer load(ModelFiles files) {
        Path file = files.directory().resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new RerankerException("no tokenizer.json in " + files.directory()
                    + "; save the model's fast tokenizer there (in Python: AutoTokenizer.from_pretrained(...)"
                    + ".save_pretrained(dir))");
        }
        JsonObject json = ModelFiles.readJson(file);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false",
                    "truncation", "false",
                    "padding", "false"));
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new RerankerException("could not load " + file + " as a Hugging Face tokenizer: " + e.getMessage()
                    + "; expected a tokenizer.json written by the tokenizers library (save_pretrained)", e);
        }
        try {
            PairTemplate template = probeTemplate(tokenizer, file);
            int padId = padId(json, files);
            return new HfTokenizer(tokenizer, template, padId);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** Reads where the special tokens go off the tokenizer's own post-processor. */
    private static PairTemplate probeTemplate(HuggingFaceTokenizer tokenizer, Path file) {
        Encoding probe = tokenizer.encode("a", "b", true, false);
        long[] special = probe.getSpecialTokenMask();
        long[] sequence = probe.getSequenceIds();
        long[] sides = new long[special.length];
        for (int i = 0; i < sides.length; i++) {
            sides[i] = special[i] == 1 ? PairTemplate.SPECIAL : sequence[i];
        }
        try {
            return PairTemplate.fromProbe(probe.getIds(), probe.getTypeIds(), sides);
        } catch (IllegalArgumentException e) {
            throw new RerankerException(file + " does not encode a (query, document) pair as two sides: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The tokenizer's real pad id: {@code tokenizer.json}'s padding setting, else its pad token's id,
     * else {@code config.json}'s {@code pad_token_id}. Padding with 0 would be wrong for XLM-RoBERTa,
     * whose pad id is 1 and whose position ids depend on it.
     */
    private static int padId(JsonObject tokenizerJson, ModelFiles files) {
        JsonElement padding = tokenizerJson.get("padding");
        if (padding != null && padding.isJsonObject() && padding.getAsJsonObject().has("pad_id")) {
            return padding.getAsJsonObject().get("pad_id").getAsInt();
        }
        String padToken = files.padToken();
        if (padToken != null) {
            Integer id = tokenId(tokenizerJson, padToken);
            if (id != null) {
                return id;
            }
        }
        int fromConfig = files.padTokenIdFromConfig(-1);
        if (fromConfig >= 0) {
            return fromConfig;
        }
        logger.warn("{} names no pad token; padding with id 0", files.directory());
        return 0;
    }

    private static Integer tokenId(JsonObject tokenizerJson, String token) {
        JsonElement added = tokenizerJson.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement e : added.getAsJsonArray()) {
                JsonObject t = e.getAsJsonObject();
                if (token.equals(t.get("content").getAsString())) {
                    return t.get("id").getAsInt();
                }
            }
        }
        JsonElement model = tokenizerJson.get("model");
        JsonElement vocab = model != null && model.isJsonObject() ? model.getAsJsonObject().get("vocab") : null;
        if (vocab != null && vocab.isJsonObject() && vocab.getAsJsonObject().has(token)) {
            return vocab.getAsJsonObject().get(token).getAsInt();
        }
        if (vocab != null && vocab.isJsonArray()) { // Unigram: [[piece, score], ...]
            JsonArray pieces = vocab.getAsJsonArray();
            for (int i = 0; i < pieces.size(); i++) {
                if (token.equals(pieces.get(i).getAsJsonArray().get(0).getAsString())) {
                    return i;
                }
            }
        }
        return null;
    }

    public PairTemplate template() {
        return template;
    }

    public int padId() {
        return padId;
    }

    @Override
    public List<int[]> encode(List<String> texts) {
        String[] clean = new String[texts.size()];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = wellFormed(texts.get(i));
        }
        // Straight to the binding: HuggingFaceTokenizer.batchEncode turns each encoding into an
        // Encoding (token strings, offsets, masks): 100 documents of the benchmark's mixed workload
        // took 60 ms that way and 38 ms for the ids alone (MiniLM's vocabulary; XLM-R's 57 and 29),
        // and only the ids are needed.
        long[] encodings = TokenizersLibrary.LIB.batchEncode(tokenizer.getHandle(), clean, false);
        List<int[]> out = new ArrayList<>(encodings.length);
        try {
            for (long encoding : encodings) {
                long[] ids = TokenizersLibrary.LIB.getTokenIds(encoding);
                int[] tokens = new int[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    tokens[i] = (int) ids[i];
                }
                out.add(tokens);
            }
        } finally {
            for (long encoding : encodings) {
                TokenizersLibrary.LIB.deleteEncoding(encoding);
            }
        }
        return out;
    }

    /**
     * Replaces lone UTF-16 surrogates with U+FFFD. Java strings may hold them, UTF-8 cannot, and the
     * native tokenizer only takes UTF-8; Python would refuse such a string, we score it.
     */
    static String wellFormed(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone;
            if (Character.isHighSurrogate(c)) {
                lone = i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
                if (!lone) {
                    if (fixed != null) {
                        fixed.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                lone = Character.isLowSurrogate(c);
            }
            if (lone && fixed == null) {
                fixed = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (fixed != null) {
                fixed.append(lone ? '\uFFFD' : c);
            }
        }
        return fixed == null ? text : fixed.toString();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
