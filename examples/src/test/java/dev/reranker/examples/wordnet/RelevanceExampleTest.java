package dev.reranker.examples.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonParser;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RelevanceExampleTest {

    private static final String AWKWARD = "say \"hi\" \\ then\nnew line\ttab \u0001 caf\u00e9 \ud83d\ude00 <b>&'= \u2028";

    @TempDir
    Path temp;

    @Test
    void toJson_flagEmbeddingKeysInOrder() {
        RelevanceExample example = new RelevanceExample("q", List.of("p"), List.of("n1", "n2"));

        assertEquals("{\"query\":\"q\",\"pos\":[\"p\"],\"neg\":[\"n1\",\"n2\"]}", example.toJson());
    }

    @Test
    void toJson_escapesWhatJsonRequiresAndNothingElse() {
        RelevanceExample example = new RelevanceExample(AWKWARD, List.of("p"), List.of());

        assertEquals("{\"query\":\"say \\\"hi\\\" \\\\ then\\nnew line\\ttab \\u0001 caf\u00e9 \ud83d\ude00 <b>&'= \\u2028\","
                + "\"pos\":[\"p\"],\"neg\":[]}", example.toJson());
    }

    @Test
    void toJson_readsBackAsTheSameStrings() {
        RelevanceExample example = new RelevanceExample(AWKWARD, List.of(AWKWARD + "!"), List.of("", AWKWARD));

        JsonObject json = JsonParser.parseString(example.toJson()).getAsJsonObject();

        assertEquals(AWKWARD, json.get("query").getAsString());
        assertEquals(AWKWARD + "!", json.getAsJsonArray("pos").get(0).getAsString());
        assertEquals(AWKWARD, json.getAsJsonArray("neg").get(1).getAsString());
    }

    @Test
    void writeJsonLines_utf8OneLineEach() throws IOException {
        Path file = temp.resolve("train.jsonl");
        List<RelevanceExample> examples = List.of(
                new RelevanceExample(AWKWARD, List.of("p"), List.of("n")),
                new RelevanceExample("caf\u00e9", List.of("p"), List.of()));

        RelevanceExample.writeJsonLines(examples, file);

        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertEquals(examples.get(0).toJson() + "\n" + examples.get(1).toJson() + "\n", text);
        assertEquals(2, text.lines().count());
    }

    @Test
    void new_noPositive_isAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RelevanceExample("q", List.of(), List.of("n")));

        assertEquals("positives must hold at least one document", e.getMessage());
    }

    @Test
    void new_nullDocument_namesIt() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new RelevanceExample("q", List.of("p"), Arrays.asList("n", null)));

        assertEquals("negatives[1]", e.getMessage());
        assertEquals("query", assertThrows(NullPointerException.class,
                () -> new RelevanceExample(null, List.of("p"), List.of())).getMessage());
    }
}
