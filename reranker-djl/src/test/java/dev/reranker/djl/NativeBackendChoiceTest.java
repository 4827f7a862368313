package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.reranker.RerankerException;
import dev.reranker.ScoreMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which backend {@link Backend#AUTO} picks, and what an explicit choice does with the files present. */
final class NativeBackendChoiceTest {

    @TempDir
    Path temp;

    /** A directory with both weights: the tokenizer, config and model.safetensors of one fixture, and a model.pt. */
    private Path both(String safetensorsFixture) throws IOException {
        Path dir = Fixtures.copy(safetensorsFixture, temp.resolve("both"));
        Files.copy(Fixtures.dir(Fixtures.BERT_TORCHSCRIPT).resolve("model.pt"), dir.resolve("model.pt"));
        return dir;
    }

    private static DjlReranker build(Path dir, Backend backend) {
        return DjlReranker.builder().model(dir).backend(backend).scoreMode(ScoreMode.RAW).build();
    }

    private static String backendOf(DjlReranker reranker) {
        String description = reranker.toString();
        int at = description.indexOf("backend=");
        return description.substring(at + "backend=".length(), description.indexOf(',', at));
    }

    /** Every reference case at the default settings scores its reference raw logit. */
    private static void assertMatchesReference(DjlReranker reranker, String fixture) {
        JsonObject setting = Fixtures.reference(fixture).getAsJsonArray("settings").get(0).getAsJsonObject();
        JsonArray cases = setting.getAsJsonArray("cases");
        assertTrue(cases.size() >= 8);
        for (JsonElement c : cases) {
            JsonObject pair = c.getAsJsonObject();
            JsonArray logits = pair.getAsJsonArray("logits");
            assertEquals(logits.get(logits.size() - 1).getAsFloat(),
                    reranker.score(pair.get("query").getAsString(), List.of(pair.get("document").getAsString()))[0],
                    1e-4, fixture + ": " + pair.get("document").getAsString());
        }
    }

    @Test
    void auto_withModelSafetensors_runsNative() {
        try (DjlReranker reranker = build(Fixtures.dir(Fixtures.BERT), Backend.AUTO)) {
            assertEquals("native", backendOf(reranker));
            assertMatchesReference(reranker, Fixtures.BERT);
        }
    }

    @Test
    void auto_withOnlyModelPt_runsTorchScript() {
        try (DjlReranker reranker = build(Fixtures.dir(Fixtures.XLMR_TORCHSCRIPT), Backend.AUTO)) {
            assertEquals("torchscript", backendOf(reranker));
        }
    }

    @Test
    void bothWeights_autoRunsNative_andTorchScriptOnRequest_bothMatchingTheReference() throws IOException {
        Path dir = both(Fixtures.BERT);
        try (DjlReranker auto = build(dir, Backend.AUTO);
                DjlReranker nativeModel = build(dir, Backend.NATIVE);
                DjlReranker torchScript = build(dir, Backend.TORCHSCRIPT)) {
            assertEquals("native", backendOf(auto));
            assertEquals("native", backendOf(nativeModel));
            assertEquals("torchscript", backendOf(torchScript));
            assertMatchesReference(auto, Fixtures.BERT);
            assertMatchesReference(nativeModel, Fixtures.BERT);
            assertMatchesReference(torchScript, Fixtures.BERT);
        }
    }

    @Test
    void bothWeights_unsupportedArchitecture_autoFallsBackToTorchScript() throws IOException {
        Path dir = both(Fixtures.BERT);
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"),
                config.replace("BertForSequenceClassification", "NewBertForSequenceClassification"));
        try (DjlReranker auto = build(dir, Backend.AUTO)) {
            assertEquals("torchscript", backendOf(auto));
            assertMatchesReference(auto, Fixtures.BERT);
        }
        assertThrows(RerankerException.class, () -> build(dir, Backend.NATIVE));
    }

    /**
     * The same choice, proved by the outputs rather than the description: tiny-bert-f16's weights
     * differ from the TorchScript model's, so each backend can only match its own reference.
     */
    @Test
    void bothWeights_ofDifferentModels_eachBackendRunsItsOwnFile() throws IOException {
        Path dir = both(Fixtures.BERT_F16);
        try (DjlReranker auto = build(dir, Backend.AUTO); DjlReranker torchScript = build(dir, Backend.TORCHSCRIPT)) {
            assertMatchesReference(auto, Fixtures.BERT_F16);
            assertMatchesReference(torchScript, Fixtures.BERT_TORCHSCRIPT);
            List<String> docs = new ArrayList<>();
            for (JsonElement c : Fixtures.reference(Fixtures.BERT).getAsJsonArray("settings").get(0).getAsJsonObject()
                    .getAsJsonArray("cases")) {
                docs.add(c.getAsJsonObject().get("document").getAsString());
            }
            float[] a = auto.score("what is a panda?", docs);
            float[] t = torchScript.score("what is a panda?", docs);
            double largest = 0;
            for (int i = 0; i < a.length; i++) {
                largest = Math.max(largest, Math.abs(a[i] - t[i]));
            }
            assertTrue(largest > 1e-2, "the two models must be told apart by their scores, differ by " + largest);
        }
    }

    @Test
    void native_onTorchScriptOnlyDirectory_saysSafetensorsIsNeeded() {
        Path dir = Fixtures.dir(Fixtures.BERT_TORCHSCRIPT);
        RerankerException e = assertThrows(RerankerException.class, () -> build(dir, Backend.NATIVE));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void torchScript_onSafetensorsOnlyDirectory_saysModelPtIsNeeded() {
        Path dir = Fixtures.dir(Fixtures.BERT);
        RerankerException e = assertThrows(RerankerException.class, () -> build(dir, Backend.TORCHSCRIPT));
        assertTrue(e.getMessage().contains("model.pt"), e.getMessage());
    }

    @Test
    void backend_null_throwsNamingIt() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> DjlReranker.builder().backend(null));
        assertEquals("backend", e.getMessage());
    }
}
