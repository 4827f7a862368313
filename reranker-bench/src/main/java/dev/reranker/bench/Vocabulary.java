package dev.reranker.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.djl.internal.DjlRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Words a model's tokenizer reads as exactly one token each, and how many special tokens it adds to a
 * (query, document) pair: what a {@link Workload} needs to build texts of exact token lengths.
 *
 * @param words one-token words, in a fixed order
 * @param specialTokens special tokens in a pair: 3 for {@code [CLS] q [SEP] d [SEP]}, 4 for
 *     {@code <s> q </s></s> d </s>}
 */
public record Vocabulary(List<String> words, int specialTokens) {

    /** Words a workload draws from: the same spread for every generated model but the tiny one. */
    static final int MAX_WORDS = 20_000;

    public Vocabulary {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("words must not be empty");
        }
    }

    /** A generated model's words {@code w5, w6, ...}: one token each by construction of its tokenizer. */
    static Vocabulary of(BenchModel model) {
        int n = Math.min(model.vocab - BenchModel.FIRST_WORD, MAX_WORDS);
        List<String> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            words.add("w" + (BenchModel.FIRST_WORD + i));
        }
        return new Vocabulary(words, model.roberta ? 4 : 3);
    }

    private static final Pattern PLAIN_WORD = Pattern.compile("[a-z]{2,12}");

    /**
     * Finds one-token words in a real model's {@code tokenizer.json}: lower-case words of its vocabulary
     * (WordPiece, BPE or Unigram; a leading {@code ▁} or {@code Ġ} stripped) that its tokenizer reads
     * as one token inside a sentence. The first word of a text can still split under a byte-level BPE
     * tokenizer, which marks words by their leading space.
     */
    static Vocabulary probe(Path modelDirectory) {
        Path file = modelDirectory.resolve("tokenizer.json");
        Set<String> candidates = new LinkedHashSet<>();
        try {
            JsonObject model = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject().getAsJsonObject("model");
            JsonElement vocab = model.get("vocab");
            List<String> pieces = new ArrayList<>();
            if (vocab.isJsonObject()) {
                pieces.addAll(vocab.getAsJsonObject().keySet());
            } else {
                for (JsonElement piece : vocab.getAsJsonArray()) { // Unigram: [[piece, score], ...]
                    pieces.add(piece.getAsJsonArray().get(0).getAsString());
                }
            }
            for (String piece : pieces) {
                String word = piece.startsWith("\u2581") || piece.startsWith("\u0120") ? piece.substring(1) : piece;
                if (PLAIN_WORD.matcher(word).matches() && candidates.size() < 3 * MAX_WORDS) {
                    candidates.add(word);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a tokenizer.json with a model vocabulary", e);
        }
        DjlRuntime.keepOffline();
        List<String> words = new ArrayList<>();
        int specialTokens;
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file,
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
            // One sentence, so each word is read in context; "a" first so no candidate opens the text.
            List<String> list = new ArrayList<>(candidates);
            Encoding sentence = tokenizer.encode("a " + String.join(" ", list), false, false);
            long[] wordIds = sentence.getWordIds();
            int[] tokensPerWord = new int[list.size() + 1];
            for (long id : wordIds) {
                if (id >= 0 && id < tokensPerWord.length) {
                    tokensPerWord[(int) id]++;
                }
            }
            for (int i = 0; i < list.size() && words.size() < MAX_WORDS; i++) {
                if (tokensPerWord[i + 1] == 1) {
                    words.add(list.get(i));
                }
            }
            int pair = tokenizer.encode("a", "b", true, false).getIds().length;
            specialTokens = pair - tokenizer.encode("a", false, false).getIds().length
                    - tokenizer.encode("b", false, false).getIds().length;
        } catch (IOException e) {
            throw new UncheckedIOException("could not load " + file, e);
        }
        if (words.size() < 20) {
            throw new IllegalArgumentException(file + " reads only " + words.size() + " plain lower-case words of its"
                    + " vocabulary as one token; the workloads need at least 20");
        }
        return new Vocabulary(words, specialTokens);
    }
}
