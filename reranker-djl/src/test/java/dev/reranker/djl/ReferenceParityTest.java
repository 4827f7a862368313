package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.reranker.ScoreMode;
import dev.reranker.ScoredDocument;
import dev.reranker.Truncation;
import dev.reranker.internal.TokenizedPair;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bar: for every case of every setting in a fixture's reference.json (computed by Hugging Face's
 * own modeling code), the token ids, raw logits, scores and ranking we produce match.
 */
final class ReferenceParityTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT_TORCHSCRIPT, Fixtures.XLMR_TORCHSCRIPT,
        Fixtures.BERT, Fixtures.BERT_2LABEL, Fixtures.BERT_F16, Fixtures.XLMR})
    void everySetting_matchesHuggingFace(String fixture) {
        JsonObject reference = Fixtures.reference(fixture);
        int checked = 0;
        for (JsonElement s : reference.getAsJsonArray("settings")) {
            JsonObject setting = s.getAsJsonObject();
            Truncation truncation = Truncation.valueOf(setting.get("truncation").getAsString().toUpperCase(Locale.ROOT));
            JsonArray cases = setting.getAsJsonArray("cases");
            try (DjlReranker raw = build(fixture, setting, truncation, ScoreMode.RAW);
                    DjlReranker auto = build(fixture, setting, truncation, ScoreMode.AUTO)) {
                assertEquals(setting.get("effective_max_length").getAsInt(), raw.pipeline().settings().maxLength());
                Map<String, List<Integer>> byQuery = new LinkedHashMap<>();
                for (int i = 0; i < cases.size(); i++) {
                    JsonObject c = cases.get(i).getAsJsonObject();
                    String query = c.get("query").getAsString();
                    String document = c.get("document").getAsString();
                    String where = fixture + " " + setting.get("max_length") + "/" + truncation + " case " + i;

                    List<TokenizedPair> pairs = raw.pipeline().pairs(query, List.of(document));
                    assertEquals(1, pairs.size(), where);
                    assertArrayEquals(ints(c.getAsJsonArray("input_ids")), pairs.get(0).ids(), where + " input_ids");
                    assertArrayEquals(ints(c.getAsJsonArray("token_type_ids")), pairs.get(0).types(),
                            where + " token_type_ids");

                    JsonArray logits = c.getAsJsonArray("logits");
                    float logit = logits.get(logits.size() - 1).getAsFloat(); // the relevance label's
                    assertEquals(logit, raw.score(query, List.of(document))[0], 1e-4, where + " logit");
                    assertEquals(c.get("score").getAsDouble(), auto.score(query, List.of(document))[0], 1e-4,
                            where + " score");
                    byQuery.computeIfAbsent(query, q -> new ArrayList<>()).add(i);
                    checked++;
                }
                for (Map.Entry<String, List<Integer>> group : byQuery.entrySet()) {
                    assertRankingMatches(auto, group.getKey(), group.getValue(), cases);
                }
            }
        }
        int expected = 0;
        for (JsonElement s : reference.getAsJsonArray("settings")) {
            expected += s.getAsJsonObject().getAsJsonArray("cases").size();
        }
        assertTrue(expected >= 24, "the reference has its cases");
        assertEquals(expected, checked, "cases checked");
    }

    private static void assertRankingMatches(DjlReranker reranker, String query, List<Integer> caseIndexes, JsonArray cases) {
        List<String> documents = new ArrayList<>();
        for (int i : caseIndexes) {
            documents.add(cases.get(i).getAsJsonObject().get("document").getAsString());
        }
        List<Integer> expected = new ArrayList<>();
        for (int k = 0; k < caseIndexes.size(); k++) {
            expected.add(k);
        }
        expected.sort(Comparator.comparingDouble(
                (Integer k) -> -cases.get(caseIndexes.get(k)).getAsJsonObject().get("score").getAsDouble()));
        List<Integer> actual = reranker.rerank(query, documents).stream().map(ScoredDocument::index).toList();
        assertEquals(expected, actual, "ranking for " + query);
    }

    private static DjlReranker build(String fixture, JsonObject setting, Truncation truncation, ScoreMode mode) {
        DjlReranker.Builder builder = DjlReranker.builder()
                .model(Fixtures.dir(fixture)).truncation(truncation).scoreMode(mode);
        if (!setting.get("max_length").isJsonNull()) {
            builder.maxLength(setting.get("max_length").getAsInt());
        }
        return builder.build();
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }
}
