package dev.reranker.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.reranker.djl.internal.nativemodel.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Cross-encoders of real models' shapes with random weights, generated on first use (no download)
 * and kept under {@code bench.models.dir} (default {@code reranker-bench/target/bench-models}).
 *
 * <p>Their tokenizers are synthetic: every word {@code wN} is exactly one token, so a workload can
 * ask for pairs of exact token lengths. Speed does not depend on which ids the tokens have.
 */
public enum BenchModel {

    /** The shape of cross-encoder/ms-marco-MiniLM-L-6-v2: BERT, 6 layers x 384. */
    MINILM_L6("minilm-l6", false, 6, 384, 12, 1536, 30522, 512, 2),
    /** The shape of BAAI/bge-reranker-base: XLM-RoBERTa, 12 layers x 768, a 250k vocabulary. */
    XLMR_BASE("xlmr-base", true, 12, 768, 12, 3072, 250002, 514, 1),
    /** A small BERT for smoke runs. */
    TINY("tiny", false, 2, 64, 4, 128, 1000, 512, 2);

    /** Words start after the special tokens: [PAD] [UNK] [CLS] [SEP] [MASK], or <s> <pad> </s> <unk>. */
    static final int FIRST_WORD = 5;

    final String id;
    final boolean roberta;
    final int layers;
    final int hidden;
    final int heads;
    final int intermediate;
    final int vocab;
    final int positions;
    final int typeVocab;

    BenchModel(String id, boolean roberta, int layers, int hidden, int heads, int intermediate, int vocab,
            int positions, int typeVocab) {
        this.id = id;
        this.roberta = roberta;
        this.layers = layers;
        this.hidden = hidden;
        this.heads = heads;
        this.intermediate = intermediate;
        this.vocab = vocab;
        this.positions = positions;
        this.typeVocab = typeVocab;
    }

    /** @throws IllegalArgumentException if {@code id} names no generated model */
    public static BenchModel of(String id) {
        BenchModel model = find(id);
        if (model == null) {
            throw new IllegalArgumentException("model must be one of minilm-l6, xlmr-base, tiny, was " + id);
        }
        return model;
    }

    /** The generated model called {@code id}, or {@code null}. */
    static BenchModel find(String id) {
        for (BenchModel m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        return null;
    }

    public EncoderShape shape() {
        return new EncoderShape(layers, hidden, intermediate);
    }

    /** The model's directory, generated if it is not there yet. */
    public Path directory() {
        Path root = Path.of(System.getProperty("bench.models.dir", "reranker-bench/target/bench-models"));
        Path dir = root.resolve(id);
        if (Files.isRegularFile(dir.resolve("model.safetensors"))) {
            return dir;
        }
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, id + ".partial");
            writeCheckpoint(tmp);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
                    throw e;
                }
                deleteTree(tmp); // another JVM made it first
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not generate the bench model " + id + " under " + root, e);
        }
    }

    private void writeCheckpoint(Path dir) throws IOException {
        Random random = new Random(42);
        String p = roberta ? "roberta." : "bert.";
        SafetensorsWriter w = new SafetensorsWriter();
        w.put(p + "embeddings.word_embeddings.weight", normal(random, vocab * hidden), shape(vocab, hidden), F32);
        w.put(p + "embeddings.position_embeddings.weight", normal(random, positions * hidden), shape(positions, hidden), F32);
        w.put(p + "embeddings.token_type_embeddings.weight", normal(random, typeVocab * hidden), shape(typeVocab, hidden), F32);
        norm(w, p + "embeddings.LayerNorm");
        for (int l = 0; l < layers; l++) {
            String layer = p + "encoder.layer." + l + ".";
            dense(w, random, layer + "attention.self.query", hidden, hidden);
            dense(w, random, layer + "attention.self.key", hidden, hidden);
            dense(w, random, layer + "attention.self.value", hidden, hidden);
            dense(w, random, layer + "attention.output.dense", hidden, hidden);
            norm(w, layer + "attention.output.LayerNorm");
            dense(w, random, layer + "intermediate.dense", intermediate, hidden);
            dense(w, random, layer + "output.dense", hidden, intermediate);
            norm(w, layer + "output.LayerNorm");
        }
        if (roberta) {
            dense(w, random, "classifier.dense", hidden, hidden);
            dense(w, random, "classifier.out_proj", 1, hidden);
        } else {
            dense(w, random, p + "pooler.dense", hidden, hidden);
            dense(w, random, "classifier", 1, hidden);
        }
        w.write(dir.resolve("model.safetensors"));
        write(dir.resolve("config.json"), config());
        writeTokenizer(dir);
    }

    /** {@code tokenizer.json} and {@code tokenizer_config.json}; alone, for tests of the tokenizer. */
    void writeTokenizer(Path dir) throws IOException {
        JsonObject tokenizerConfig = new JsonObject();
        tokenizerConfig.addProperty("model_max_length", 512);
        write(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        write(dir.resolve("tokenizer.json"), roberta ? unigramTokenizer() : wordPieceTokenizer());
    }

    private static final SafetensorsWriter.Dtype F32 = SafetensorsWriter.Dtype.F32;

    private static long[] shape(long... dims) {
        return dims;
    }

    private static float[] normal(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 0.02);
        }
        return values;
    }

    private static void dense(SafetensorsWriter w, Random random, String name, int out, int in) {
        w.put(name + ".weight", normal(random, out * in), shape(out, in), F32);
        w.put(name + ".bias", new float[out], shape(out), F32);
    }

    private void norm(SafetensorsWriter w, String name) {
        float[] ones = new float[hidden];
        java.util.Arrays.fill(ones, 1f);
        w.put(name + ".weight", ones, shape(hidden), F32);
        w.put(name + ".bias", new float[hidden], shape(hidden), F32);
    }

    private JsonObject config() {
        JsonObject c = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add(roberta ? "XLMRobertaForSequenceClassification" : "BertForSequenceClassification");
        c.add("architectures", architectures);
        c.addProperty("model_type", roberta ? "xlm-roberta" : "bert");
        c.addProperty("hidden_size", hidden);
        c.addProperty("num_hidden_layers", layers);
        c.addProperty("num_attention_heads", heads);
        c.addProperty("intermediate_size", intermediate);
        c.addProperty("hidden_act", "gelu");
        c.addProperty("layer_norm_eps", roberta ? 1e-5 : 1e-12);
        c.addProperty("max_position_embeddings", positions);
        c.addProperty("type_vocab_size", typeVocab);
        c.addProperty("vocab_size", vocab);
        c.addProperty("pad_token_id", roberta ? 1 : 0);
        c.addProperty("position_embedding_type", "absolute");
        JsonObject labels = new JsonObject();
        labels.addProperty("0", "LABEL_0");
        c.add("id2label", labels);
        return c;
    }

    private JsonObject wordPieceTokenizer() {
        String[] specials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
        JsonObject vocabulary = new JsonObject();
        for (int i = 0; i < specials.length; i++) {
            vocabulary.addProperty(specials[i], i);
        }
        for (int i = FIRST_WORD; i < vocab; i++) {
            vocabulary.addProperty("w" + i, i);
        }
        JsonObject model = new JsonObject();
        model.addProperty("type", "WordPiece");
        model.addProperty("unk_token", "[UNK]");
        model.addProperty("continuing_subword_prefix", "##");
        model.addProperty("max_input_chars_per_word", 100);
        model.add("vocab", vocabulary);
        JsonObject t = base(specials);
        t.add("normalizer", json("{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,"
                + "\"strip_accents\":null,\"lowercase\":true}"));
        t.add("pre_tokenizer", json("{\"type\":\"BertPreTokenizer\"}"));
        t.add("post_processor", json("{\"type\":\"TemplateProcessing\","
                + "\"single\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + "{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}}],"
                + "\"pair\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + "{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"B\",\"type_id\":1}},"
                + "{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":1}}],"
                + "\"special_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[2],\"tokens\":[\"[CLS]\"]},"
                + "\"[SEP]\":{\"id\":\"[SEP]\",\"ids\":[3],\"tokens\":[\"[SEP]\"]}}}"));
        t.add("decoder", json("{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}"));
        t.add("model", model);
        return t;
    }

    private JsonObject unigramTokenizer() {
        String[] specials = {"<s>", "<pad>", "</s>", "<unk>", "<mask>"};
        JsonArray pieces = new JsonArray();
        for (String s : specials) {
            JsonArray piece = new JsonArray();
            piece.add(s);
            piece.add(0.0);
            pieces.add(piece);
        }
        for (int i = FIRST_WORD; i < vocab; i++) {
            JsonArray piece = new JsonArray();
            piece.add("\u2581w" + i);
            piece.add(-10.0);
            pieces.add(piece);
        }
        JsonObject model = new JsonObject();
        model.addProperty("type", "Unigram");
        model.addProperty("unk_id", 3);
        model.add("vocab", pieces);
        model.addProperty("byte_fallback", false);
        JsonObject t = base(specials);
        t.add("normalizer", null);
        String metaspace = "{\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"prepend_scheme\":\"always\",\"split\":true}";
        t.add("pre_tokenizer", json(metaspace));
        t.add("post_processor", json("{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",2],\"cls\":[\"<s>\",0],"
                + "\"trim_offsets\":true,\"add_prefix_space\":true}"));
        t.add("decoder", json(metaspace));
        t.add("model", model);
        return t;
    }

    private static JsonObject base(String[] specials) {
        JsonObject t = new JsonObject();
        t.addProperty("version", "1.0");
        t.add("truncation", null);
        t.add("padding", null);
        JsonArray added = new JsonArray();
        for (int i = 0; i < specials.length; i++) {
            added.add(json("{\"id\":" + i + ",\"content\":\"" + specials[i] + "\",\"single_word\":false,"
                    + "\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true}"));
        }
        t.add("added_tokens", added);
        return t;
    }

    private static JsonObject json(String text) {
        return com.google.gson.JsonParser.parseString(text).getAsJsonObject();
    }

    private static void write(Path file, JsonObject json) throws IOException {
        Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
        Files.writeString(file, gson.toJson(json), StandardCharsets.UTF_8);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
