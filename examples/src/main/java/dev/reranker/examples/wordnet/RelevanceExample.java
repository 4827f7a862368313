package dev.reranker.examples.wordnet;

import com.google.gson.stream.JsonWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One query of reranker training data with the documents that answer it and some that do not.
 * Written as a line of FlagEmbedding's JSON lines format:
 *
 * <pre>{"query": "...", "pos": ["..."], "neg": ["...", "..."]}</pre>
 *
 * @param query the query text
 * @param positives relevant documents, at least one
 * @param negatives irrelevant documents, hardest first; may be empty
 */
public record RelevanceExample(String query, List<String> positives, List<String> negatives) {

    /**
     * @throws NullPointerException if an argument or one of the documents is null
     * @throws IllegalArgumentException if {@code positives} is empty
     */
    public RelevanceExample {
        Objects.requireNonNull(query, "query");
        positives = copy(positives, "positives");
        negatives = copy(negatives, "negatives");
        if (positives.isEmpty()) {
            throw new IllegalArgumentException("positives must hold at least one document");
        }
    }

    private static List<String> copy(List<String> documents, String name) {
        Objects.requireNonNull(documents, name);
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                throw new NullPointerException(name + "[" + i + "]");
            }
        }
        return List.copyOf(documents);
    }

    /**
     * This example as one line of JSON, without a line break: keys in the order {@code query},
     * {@code pos}, {@code neg}. Strings are escaped as JSON requires ({@code "}, {@code \}, control
     * characters) and, since the line must stay one line for any reader, U+2028 and U+2029 too;
     * everything else, non-ASCII and {@code <>&'} included, is written as it is.
     */
    public String toJson() {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setHtmlSafe(false);
            json.beginObject();
            json.name("query").value(query);
            array(json.name("pos"), positives);
            array(json.name("neg"), negatives);
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

    /** Writes {@code examples} to {@code out}, one {@link #toJson()} line each, each ended by {@code \n}. */
    public static void writeJsonLines(Iterable<RelevanceExample> examples, Writer out) throws IOException {
        for (RelevanceExample example : examples) {
            out.write(example.toJson());
            out.write('\n');
        }
        out.flush();
    }

    /** Writes {@code examples} to {@code file} as UTF-8 JSON lines, replacing the file if it exists. */
    public static void writeJsonLines(Iterable<RelevanceExample> examples, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeJsonLines(examples, out);
        }
    }
}
