package dev.reranker.djl.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;

import dev.reranker.RerankerException;
import dev.reranker.eval.JudgedQuery;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Relevance judgments for training or evaluation, read from a file:
 *
 * <ul>
 *   <li>JSON lines ({@code .jsonl}, {@code .json}, {@code .ndjson}), FlagEmbedding's format: one
 *       object per line, {@code {"query": "...", "pos": ["..."], "neg": ["..."]}}; {@code neg} may be
 *       absent, other keys are ignored;
 *   <li>CSV ({@code .csv}, RFC 4180 quoting) or TSV ({@code .tsv}, no quoting) triplets
 *       {@code query,positive_doc,negative_doc}, with or without a header row; the negative may be
 *       empty.
 * </ul>
 *
 * <p>Lines with the same query are merged into one example, keeping the first-seen order and
 * dropping repeated documents; a document listed both as positive and negative for a query counts as
 * positive. A query left with no positive is skipped and counted in {@link #skipped()}. A malformed
 * line fails the whole read with the file and line number.
 *
 * <p>{@link #write(Path)} writes the examples back as JSON lines, which {@link #read(Path)} reads as
 * the same examples. Immutable.
 */
public final class TrainingData {

    private final Path source;
    private final List<TrainingExample> examples;
    private final int skipped;

    private TrainingData(Path source, List<TrainingExample> examples, int skipped) {
        this.source = source;
        this.examples = List.copyOf(examples);
        this.skipped = skipped;
    }

    /** Data built in memory; examples without a positive are skipped and counted. */
    public static TrainingData of(List<TrainingExample> examples) {
        Merger merger = new Merger();
        for (TrainingExample e : examples) {
            merger.add(e.query(), e.positives(), e.negatives());
        }
        return merger.build(null);
    }

    /**
     * Reads a JSON-lines, CSV or TSV file, chosen by its extension.
     *
     * @throws RerankerException if the file cannot be read, a line is malformed (the message gives
     *     {@code file:line}), or no query in it has a positive document
     */
    public static TrainingData read(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(file)) {
            throw new RerankerException("training data file " + file + " does not exist or is not a file");
        }
        Merger merger = new Merger();
        try {
            if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
                readJsonLines(file, merger);
            } else if (name.endsWith(".csv")) {
                readDelimited(file, ',', true, merger);
            } else if (name.endsWith(".tsv")) {
                readDelimited(file, '\t', false, merger);
            } else {
                throw new RerankerException("cannot tell the format of " + file + " from its name; use .jsonl"
                        + " (FlagEmbedding's {\"query\", \"pos\", \"neg\"} lines), .csv or .tsv"
                        + " (query,positive_doc,negative_doc triplets)");
            }
        } catch (CharacterCodingException e) {
            throw new RerankerException(file + " is not UTF-8 text: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RerankerException("could not read " + file + ": " + e.getMessage(), e);
        }
        return merger.build(file);
    }

    /**
     * Writes the examples to {@code file} in FlagEmbedding's JSON lines format, replacing the file if
     * it exists: UTF-8, one object a line, each ended by {@code \n}, keys in the order {@code query},
     * {@code pos}, {@code neg}. Strings are escaped as JSON requires ({@code "}, {@code \}, control
     * characters) and, so that a line stays one line for any reader, U+2028 and U+2029 too;
     * everything else, non-ASCII and {@code <>&'} included, is written as it is. The parent directory
     * must exist.
     *
     * @throws RerankerException if the file cannot be written, naming it
     */
    public void write(Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (TrainingExample example : examples) {
                out.write(jsonLine(example));
                out.write('\n');
            }
        } catch (NoSuchFileException e) {
            throw new RerankerException("could not write " + file + ": the directory "
                    + file.toAbsolutePath().getParent() + " does not exist", e);
        } catch (IOException e) {
            // FileSystemException's message is often the file name alone: the type says what went wrong.
            throw new RerankerException("could not write " + file + ": " + e, e);
        }
    }

    /** The examples, each with at least one positive, in first-seen order. */
    public List<TrainingExample> examples() {
        return examples;
    }

    /** Queries that had no positive document and were left out. */
    public int skipped() {
        return skipped;
    }

    /** The distinct documents of all examples, positives and negatives, in first-seen order. */
    public List<String> documents() {
        Set<String> all = new LinkedHashSet<>();
        for (TrainingExample e : examples) {
            all.addAll(e.positives());
            all.addAll(e.negatives());
        }
        return List.copyOf(all);
    }

    /**
     * The examples as evaluation queries: each query's candidates are its positives (relevance 1)
     * then its negatives (relevance 0).
     */
    public List<JudgedQuery> judged() {
        List<JudgedQuery> out = new ArrayList<>(examples.size());
        for (TrainingExample e : examples) {
            out.add(JudgedQuery.binary(e.query(), e.positives(), e.negatives()));
        }
        return out;
    }

    @Override
    public String toString() {
        return "TrainingData{" + (source == null ? "" : source + ", ") + examples.size() + " queries"
                + (skipped == 0 ? "" : ", " + skipped + " skipped without a positive") + "}";
    }

    /** One example as a line of JSON, without the line break. */
    private static String jsonLine(TrainingExample example) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setHtmlSafe(false);
            json.beginObject();
            json.name("query").value(example.query());
            array(json.name("pos"), example.positives());
            array(json.name("neg"), example.negatives());
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return text.toString();
    }

    private static void array(JsonWriter json, List<String> documents) throws IOException {
        json.beginArray();
        for (String document : documents) {
            json.value(document);
        }
        json.endArray();
    }

    private static void readJsonLines(Path file, Merger merger) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + number;
                JsonObject json;
                try {
                    JsonElement element = JsonParser.parseString(line);
                    if (!element.isJsonObject()) {
                        throw new RerankerException(where + ": expected a JSON object {\"query\": ..., \"pos\": [...],"
                                + " \"neg\": [...]}, found " + kind(element));
                    }
                    json = element.getAsJsonObject();
                } catch (JsonParseException e) {
                    throw new RerankerException(where + ": not valid JSON (" + e.getMessage() + ")", e);
                }
                JsonElement query = json.get("query");
                if (query == null || !query.isJsonPrimitive() || !query.getAsJsonPrimitive().isString()) {
                    throw new RerankerException(where + ": \"query\" must be a string, found " + kind(query));
                }
                merger.add(query.getAsString(), strings(json, "pos", where), strings(json, "neg", where));
            }
        }
    }

    private static List<String> strings(JsonObject json, String key, String where) {
        JsonElement value = json.get(key);
        if (value == null || value.isJsonNull()) {
            return List.of();
        }
        if (!value.isJsonArray()) {
            throw new RerankerException(where + ": \"" + key + "\" must be an array of strings, found " + kind(value));
        }
        List<String> out = new ArrayList<>();
        JsonArray array = value.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw new RerankerException(where + ": \"" + key + "\"[" + i + "] must be a string, found " + kind(item));
            }
            out.add(item.getAsString());
        }
        return out;
    }

    private static String kind(JsonElement element) {
        if (element == null) {
            return "nothing";
        }
        if (element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonArray()) {
            return "an array";
        }
        if (element.isJsonObject()) {
            return "an object";
        }
        return element.getAsJsonPrimitive().isString() ? "a string" : element.toString();
    }

    private static void readDelimited(Path file, char delimiter, boolean quoting, Merger merger) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        DelimitedRecords records = new DelimitedRecords(text, delimiter, quoting, file);
        boolean first = true;
        for (List<String> row; (row = records.next()) != null; ) {
            int line = records.recordLine();
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue; // blank line
            }
            if (first && row.get(0).trim().equalsIgnoreCase("query")) {
                first = false;
                continue; // header
            }
            first = false;
            if (row.size() != 3) {
                throw new RerankerException(file + ":" + line + ": expected 3 fields (query, positive_doc, negative_doc),"
                        + " found " + row.size() + (quoting ? "; quote fields that contain commas" : ""));
            }
            merger.add(row.get(0), nonEmpty(row.get(1)), nonEmpty(row.get(2)));
        }
    }

    private static List<String> nonEmpty(String field) {
        return field.isEmpty() ? List.of() : List.of(field);
    }

    /** Merges lines of the same query, in first-seen order. */
    private static final class Merger {
        private final Map<String, Set<String>> positives = new LinkedHashMap<>();
        private final Map<String, Set<String>> negatives = new LinkedHashMap<>();

        void add(String query, List<String> pos, List<String> neg) {
            positives.computeIfAbsent(query, q -> new LinkedHashSet<>()).addAll(pos);
            negatives.computeIfAbsent(query, q -> new LinkedHashSet<>()).addAll(neg);
        }

        TrainingData build(Path file) {
            List<TrainingExample> examples = new ArrayList<>();
            int skipped = 0;
            for (Map.Entry<String, Set<String>> e : positives.entrySet()) {
                if (e.getValue().isEmpty()) {
                    skipped++;
                    continue;
                }
                List<String> neg = new ArrayList<>(negatives.get(e.getKey()));
                neg.removeAll(e.getValue());
                examples.add(new TrainingExample(e.getKey(), new ArrayList<>(e.getValue()), neg));
            }
            if (examples.isEmpty() && file != null) {
                throw new RerankerException("no query in " + file + " has a positive document"
                        + (skipped == 0 ? " (the file has no examples)"
                                : " (" + skipped + (skipped == 1 ? " query" : " queries") + " without one)"));
            }
            return new TrainingData(file, examples, skipped);
        }
    }
}
