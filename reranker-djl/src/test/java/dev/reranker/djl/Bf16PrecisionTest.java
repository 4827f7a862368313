package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.reranker.ScoreMode;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Precision#BF16}: bf16 matrix multiplies inside TorchScript programs, never a bf16 array
 * made from Java (DJL 0.36 aborts the JVM on those). Scores stay within 0.02 of Hugging Face's fp32
 * reference, the bound the benchmarks hold the bf16 mode to.
 */
final class Bf16PrecisionTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BERT, Fixtures.XLMR, Fixtures.BERT_2LABEL, Fixtures.BERT_F16})
    void bf16_scoresWithinTwoHundredthsOfTheFp32Reference_andKeepsClearOrders(String fixture) {
        JsonArray cases = Fixtures.reference(fixture).getAsJsonArray("settings").get(0).getAsJsonObject()
                .getAsJsonArray("cases");
        List<String> queries = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        for (JsonElement e : cases) {
            JsonObject c = e.getAsJsonObject();
            queries.add(c.get("query").getAsString());
            documents.add(c.get("document").getAsString());
            expected.add(c.get("score").getAsDouble());
        }
        try (DjlReranker bf16 = DjlReranker.builder().model(Fixtures.dir(fixture)).precision(Precision.BF16)
                .scoreMode(ScoreMode.AUTO).build()) {
            assertTrue(bf16.toString().contains("precision=BF16"), bf16.toString());
            float[] scores = new float[documents.size()];
            boolean anyDifferent = false;
            for (int i = 0; i < scores.length; i++) {
                scores[i] = bf16.score(queries.get(i), List.of(documents.get(i)))[0];
                assertEquals(expected.get(i), scores[i], 0.02, fixture + " case " + i);
                anyDifferent |= Math.abs(expected.get(i) - scores[i]) > 1e-6;
            }
            assertTrue(anyDifferent, "bf16 should not be exactly fp32: is the bf16 path running?");
            for (int i = 0; i < scores.length; i++) {
                for (int j = 0; j < scores.length; j++) {
                    if (queries.get(i).equals(queries.get(j)) && expected.get(i) > expected.get(j) + 0.04) {
                        assertTrue(scores[i] > scores[j], fixture + ": cases " + i + " and " + j + " swapped");
                    }
                }
            }
            // Batched like any call: the same scores in one list, to bf16's rounding.
            float[] batched = bf16.score(queries.get(0), documents.subList(0, 3));
            for (int i = 0; i < 3; i++) {
                assertEquals(bf16.score(queries.get(0), List.of(documents.get(i)))[0], batched[i], 0.01);
            }
        }
    }

    @Test
    void bf16_onTorchScript_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder()
                .model(Fixtures.dir(Fixtures.BERT_TORCHSCRIPT)).precision(Precision.BF16).build());
        assertTrue(e.getMessage().contains("native"), e.getMessage());
    }

    @Test
    void precision_null_throws() {
        assertThrows(NullPointerException.class, () -> DjlReranker.builder().precision(null));
    }
}
