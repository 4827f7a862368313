package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import dev.reranker.RerankerException;
import dev.reranker.ScoreMode;
import dev.reranker.djl.internal.hub.FakeHub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model("org/name")}: fetched from a Hub (a real HTTP server on loopback), cached, scored. */
final class HubModelTest {

    @TempDir
    Path cache;

    private Map<String, String> environment(FakeHub hub) {
        return Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HUB_CACHE", cache.toString());
    }

    @Test
    void modelId_isDownloadedIntoTheCache_andScoresAsHuggingFace() {
        JsonObject first = Fixtures.reference(Fixtures.BERT).getAsJsonArray("settings").get(0).getAsJsonObject()
                .getAsJsonArray("cases").get(0).getAsJsonObject();
        String query = first.get("query").getAsString();
        String document = first.get("document").getAsString();
        float expected = first.getAsJsonArray("logits").get(0).getAsFloat();

        try (FakeHub hub = FakeHub.serving(FakeHub.tinyBert());
                DjlReranker reranker = DjlReranker.builder().environment(environment(hub))
                        .model(FakeHub.REPO).scoreMode(ScoreMode.RAW).build()) {
            assertEquals(expected, reranker.score(query, List.of(document))[0], 1e-4);
            assertTrue(reranker.toString().contains("backend=native"), reranker.toString());
        }
        assertTrue(Files.isDirectory(cache.resolve("models--tiny--bert-reranker").resolve("snapshots")));

        // The server is gone: offline, the cached snapshot is enough.
        try (DjlReranker offline = DjlReranker.builder()
                .environment(Map.of("HF_HUB_CACHE", cache.toString(), "HF_ENDPOINT", "http://127.0.0.1:9"))
                .model(FakeHub.REPO).offline(true).scoreMode(ScoreMode.RAW).build()) {
            assertEquals(expected, offline.score(query, List.of(document))[0], 1e-4);
        }
    }

    @Test
    void offline_withNothingCached_saysHowToUseALocalDirectory() {
        RerankerException e = assertThrows(RerankerException.class, () -> DjlReranker.builder()
                .environment(Map.of("HF_HUB_CACHE", cache.toString()))
                .model("nobody/no-such-reranker").offline(true).build());
        assertTrue(e.getMessage().contains("model(Path)"), e.getMessage());
        assertTrue(e.getMessage().contains("nobody/no-such-reranker"), e.getMessage());
    }

    @Test
    void unknownModel_onTheHub_isAClearError() {
        try (FakeHub hub = FakeHub.serving(FakeHub.tinyBert())) {
            RerankerException e = assertThrows(RerankerException.class, () -> DjlReranker.builder()
                    .environment(environment(hub)).model("nobody/no-such-reranker").build());
            assertTrue(e.getMessage().contains("nobody/no-such-reranker"), e.getMessage());
        }
    }

    @Test
    void model_neitherDirectoryNorId_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DjlReranker.builder().model("no such dir/or id/at all"));
        assertEquals("model must be an existing directory or a Hugging Face model id (organisation/name), was"
                + " \"no such dir/or id/at all\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().revision(""));
        assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().revision("../escape"));
    }

    @Test
    void model_stringNamingADirectory_loadsIt() {
        try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(Fixtures.XLMR).toString()).build()) {
            assertEquals(1, reranker.score("q", List.of("d")).length);
        }
    }
}
