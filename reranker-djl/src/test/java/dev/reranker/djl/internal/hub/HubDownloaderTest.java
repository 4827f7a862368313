package dev.reranker.djl.internal.hub;

import static dev.reranker.djl.internal.hub.FakeHub.COMMIT;
import static dev.reranker.djl.internal.hub.FakeHub.REPO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.RerankerException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class HubDownloaderTest {

    private static final List<String> DOWNLOADED = List.of(
            "config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "model.safetensors");

    @TempDir
    Path cache;

    private final List<FakeHub> hubs = new ArrayList<>();

    @AfterEach
    void stopServers() {
        hubs.forEach(FakeHub::close);
    }

    private FakeHub hub() {
        return hub(FakeHub.tinyBert());
    }

    private FakeHub hub(Map<String, byte[]> files) {
        FakeHub hub = FakeHub.serving(files);
        hubs.add(hub);
        return hub;
    }

    private HubDownloader online(URI endpoint) {
        return new HubDownloader(endpoint, cache, null, false, Duration.ofSeconds(5));
    }

    private Path repoDir() {
        return cache.resolve("models--tiny--bert-reranker");
    }

    private Path snapshotDir() {
        return repoDir().resolve("snapshots").resolve(COMMIT);
    }

    private List<String> blobNames() throws IOException {
        Path blobs = repoDir().resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(blobs)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void snapshot_fullDownload_producesHubCacheLayout() throws IOException {
        FakeHub hub = hub();

        Path dir = online(hub.endpoint()).snapshot(REPO, "main");

        assertEquals(snapshotDir(), dir);
        assertEquals(COMMIT, Files.readString(repoDir().resolve("refs/main")));
        for (String file : DOWNLOADED) {
            Path link = dir.resolve(file);
            assertTrue(Files.isSymbolicLink(link), file + " should be a symlink");
            assertEquals(Path.of("../../blobs/" + hub.etag(file)), Files.readSymbolicLink(link), file);
            assertArrayEquals(hub.files.get(file), Files.readAllBytes(link), file);
        }
        assertEquals(DOWNLOADED.stream().map(hub::etag).sorted().toList(), blobNames());
        assertFalse(Files.exists(dir.resolve("vocab.txt")), "only what a reranker needs is fetched");
        assertEquals(64, hub.etag("model.safetensors").length());
    }

    @Test
    void snapshot_secondCall_getsNoContent() {
        FakeHub hub = hub();
        HubDownloader downloader = online(hub.endpoint());
        Path first = downloader.snapshot(REPO, "main");
        hub.requests.clear();

        Path second = downloader.snapshot(REPO, "main");

        assertEquals(first, second);
        assertEquals(List.of(), hub.requests("GET"));
        assertFalse(hub.requests("HEAD").isEmpty(), "a branch is checked against the Hub");
    }

    @Test
    void snapshot_commitInCache_makesNoRequest() {
        FakeHub hub = hub();
        HubDownloader downloader = online(hub.endpoint());
        downloader.snapshot(REPO, "main");
        hub.requests.clear();

        assertEquals(snapshotDir(), downloader.snapshot(REPO, COMMIT));
        assertEquals(List.of(), hub.requests);
    }

    @Test
    void snapshot_commitRevision_downloadsWithoutWritingARef() {
        FakeHub hub = hub();

        assertEquals(snapshotDir(), online(hub.endpoint()).snapshot(REPO, COMMIT));
        assertFalse(Files.exists(repoDir().resolve("refs")));
    }

    @Test
    void snapshot_shardedCheckpoint_fetchesIndexAndEveryShard() throws IOException {
        Map<String, byte[]> files = FakeHub.tinyBert();
        files.remove("model.safetensors");
        Random random = new Random(42);
        byte[] first = new byte[3000];
        byte[] second = new byte[5000];
        random.nextBytes(first);
        random.nextBytes(second);
        files.put("model-00001-of-00002.safetensors", first);
        files.put("model-00002-of-00002.safetensors", second);
        files.put("model.safetensors.index.json", ("{\"metadata\": {\"total_size\": 8000}, \"weight_map\": {"
                + "\"a.weight\": \"model-00001-of-00002.safetensors\", \"b.weight\": \"model-00002-of-00002.safetensors\","
                + " \"c.bias\": \"model-00001-of-00002.safetensors\"}}").getBytes(StandardCharsets.UTF_8));
        FakeHub hub = hub(files);

        Path dir = online(hub.endpoint()).snapshot(REPO, "main");

        assertArrayEquals(first, Files.readAllBytes(dir.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(second, Files.readAllBytes(dir.resolve("model-00002-of-00002.safetensors")));
        assertTrue(Files.isSymbolicLink(dir.resolve("model.safetensors.index.json")));
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        assertEquals(1, hub.requests("GET").stream().filter(r -> r.path().equals("/cdn/" + FakeHub.sha256(first))).count(),
                "a shard named twice in the index is fetched once");
        assertEquals(List.of(), HubDownloader.missing(dir));
    }

    @Test
    void snapshot_shardOutsideTheFolder_isRefused() {
        Map<String, byte[]> files = FakeHub.tinyBert();
        files.remove("model.safetensors");
        files.put("model.safetensors.index.json",
                "{\"weight_map\": {\"a\": \"../../evil.safetensors\"}}".getBytes(StandardCharsets.UTF_8));
        FakeHub hub = hub(files);

        RerankerException e = assertThrows(RerankerException.class, () -> online(hub.endpoint()).snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("../../evil.safetensors"), e.getMessage());
        assertFalse(Files.exists(repoDir().resolve("evil.safetensors")));
    }

    @Test
    void snapshot_serverDiesMidFile_leavesNoCompleteBlob() throws IOException {
        FakeHub hub = hub();
        hub.cutOff = "model.safetensors";
        HubDownloader downloader = online(hub.endpoint());

        RerankerException e = assertThrows(RerankerException.class, () -> downloader.snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("model(Path)"), e.getMessage());
        assertFalse(blobNames().contains(hub.etag("model.safetensors")));
        assertTrue(blobNames().stream().noneMatch(name -> name.endsWith(".incomplete")), blobNames().toString());
        assertFalse(Files.exists(snapshotDir().resolve("model.safetensors"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(repoDir().resolve("refs/main")), "refs/ names only complete snapshots");

        hub.cutOff = null;
        Path dir = downloader.snapshot(REPO, "main");
        assertArrayEquals(hub.files.get("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
    }

    @Test
    void snapshot_sha256Mismatch_failsAndKeepsNoBlob() throws IOException {
        FakeHub hub = hub();
        hub.corrupt = "model.safetensors";

        RerankerException e = assertThrows(RerankerException.class, () -> online(hub.endpoint()).snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertFalse(blobNames().contains(hub.etag("model.safetensors")));
        assertTrue(blobNames().stream().noneMatch(name -> name.endsWith(".incomplete")), blobNames().toString());
        assertFalse(Files.exists(snapshotDir().resolve("model.safetensors"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void snapshot_stalledBody_failsAfterTimeout() throws IOException {
        FakeHub hub = hub();
        hub.stall = "model.safetensors";
        HubDownloader downloader = new HubDownloader(hub.endpoint(), cache, null, false, Duration.ofSeconds(1));

        RerankerException e = assertThrows(RerankerException.class, () -> downloader.snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("no data for 1.0 s"), e.getMessage());
        assertFalse(blobNames().contains(hub.etag("model.safetensors")));
    }

    @Test
    void snapshot_slowButSteadyBody_outlastsTheTimeout() throws IOException {
        FakeHub hub = hub();
        hub.slow = "model.safetensors";
        hub.slowPauseMillis = 150; // ten pieces: 1.5 s in all, against a 1 s timeout (short ones flake on busy machines)
        HubDownloader downloader = new HubDownloader(hub.endpoint(), cache, null, false, Duration.ofSeconds(1));

        Path dir = downloader.snapshot(REPO, "main");

        assertArrayEquals(hub.files.get("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
    }

    @Test
    void snapshot_largeFile_logsProgressInTenths() throws IOException {
        Map<String, byte[]> files = FakeHub.tinyBert();
        byte[] large = new byte[12_000_000];
        new Random(7).nextBytes(large);
        files.put("model.safetensors", large);
        FakeHub hub = hub(files);

        String logged = stderrOf(() -> online(hub.endpoint()).snapshot(REPO, "main"));

        long progress = logged.lines().filter(l -> l.contains("Downloading " + REPO + "/model.safetensors: ")).count();
        assertTrue(progress >= 5 && progress <= 9, logged);
        assertTrue(logged.contains("Downloaded " + REPO + "/model.safetensors (12.0 MB)"), logged);
        assertTrue(logged.lines().noneMatch(l -> l.contains("Downloading " + REPO + "/config.json")), logged);
        assertArrayEquals(large, Files.readAllBytes(snapshotDir().resolve("model.safetensors")));
    }

    @Test
    void snapshot_concurrentCalls_bothSucceedAndLeaveNoTemporaryFiles() throws Exception {
        FakeHub hub = hub();
        HubDownloader downloader = online(hub.endpoint());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> results = pool.invokeAll(List.of(
                    () -> downloader.snapshot(REPO, "main"), () -> downloader.snapshot(REPO, "main")));
            assertEquals(snapshotDir(), results.get(0).get());
            assertEquals(snapshotDir(), results.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(DOWNLOADED.stream().map(hub::etag).sorted().toList(), blobNames());
        try (Stream<Path> files = Files.list(snapshotDir())) {
            assertEquals(DOWNLOADED.stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(hub.files.get("model.safetensors"), Files.readAllBytes(snapshotDir().resolve("model.safetensors")));
    }

    @Test
    void snapshot_blobOfWrongSizeInCache_isDownloadedAgain() throws IOException {
        FakeHub hub = hub();
        HubDownloader downloader = online(hub.endpoint());
        downloader.snapshot(REPO, "main");
        Path blob = repoDir().resolve("blobs").resolve(hub.etag("model.safetensors"));
        Files.write(blob, new byte[10]);
        hub.requests.clear();

        Path dir = downloader.snapshot(REPO, "main");

        assertEquals(1, hub.requests("GET").size());
        assertArrayEquals(hub.files.get("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
    }

    @Test
    void snapshot_unknownRepo_namesIt() {
        FakeHub hub = hub();

        RerankerException e = assertThrows(RerankerException.class,
                () -> online(hub.endpoint()).snapshot("tiny/no-such-model", "main"));

        assertTrue(e.getMessage().startsWith("no model tiny/no-such-model on " + hub.endpoint()), e.getMessage());
        assertTrue(e.getMessage().contains("model(Path)"), e.getMessage());
    }

    @Test
    void snapshot_unknownRevision_namesIt() {
        FakeHub hub = hub();

        RerankerException e = assertThrows(RerankerException.class,
                () -> online(hub.endpoint()).snapshot(REPO, "refs/pr/7"));

        assertTrue(e.getMessage().contains("no revision 'refs/pr/7'"), e.getMessage());
        assertTrue(hub.requests.get(0).path().contains("/resolve/refs%2Fpr%2F7/"), hub.requests.get(0).path());
    }

    @Test
    void snapshot_renamedRepo_followsTheHubsRedirect() {
        FakeHub hub = hub();
        hub.renamedFrom = "tiny/old-name";

        Path dir = online(hub.endpoint()).snapshot("tiny/old-name", "main");

        assertEquals(cache.resolve("models--tiny--old-name/snapshots").resolve(COMMIT), dir);
        assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
    }

    @Test
    void snapshot_optionalFilesMissing_areSkippedAndRemembered() {
        Map<String, byte[]> files = FakeHub.tinyBert();
        files.remove("tokenizer_config.json");
        files.remove("special_tokens_map.json");
        FakeHub hub = hub(files);
        HubDownloader downloader = online(hub.endpoint());

        Path dir = downloader.snapshot(REPO, "main");

        assertFalse(Files.exists(dir.resolve("tokenizer_config.json")));
        assertTrue(Files.exists(repoDir().resolve(".no_exist").resolve(COMMIT).resolve("special_tokens_map.json")));
        hub.requests.clear();
        assertEquals(dir, downloader.snapshot(REPO, COMMIT));
        assertEquals(List.of(), hub.requests, "a file known not to exist is not asked for again");
    }

    @Test
    void snapshot_requiredFileMissing_namesIt() {
        Map<String, byte[]> files = FakeHub.tinyBert();
        files.remove("tokenizer.json");
        FakeHub hub = hub(files);

        RerankerException e = assertThrows(RerankerException.class, () -> online(hub.endpoint()).snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("has no tokenizer.json"), e.getMessage());
        assertTrue(e.getMessage().contains("model(Path)"), e.getMessage());
    }

    @Test
    void snapshot_onlyPytorchWeights_explainsHowToGetSafetensors() {
        Map<String, byte[]> files = FakeHub.tinyBert();
        files.put("pytorch_model.bin", files.remove("model.safetensors"));
        FakeHub hub = hub(files);

        RerankerException e = assertThrows(RerankerException.class, () -> online(hub.endpoint()).snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("pytorch_model.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("save_pretrained(dir, safe_serialization=True)"), e.getMessage());
        assertTrue(e.getMessage().contains("model(Path)"), e.getMessage());
    }

    @Test
    void snapshot_noWeightsAtAll_saysSo() {
        Map<String, byte[]> files = FakeHub.tinyBert();
        files.remove("model.safetensors");
        FakeHub hub = hub(files);

        RerankerException e = assertThrows(RerankerException.class, () -> online(hub.endpoint()).snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("has no weights this library can read"), e.getMessage());
    }

    @Test
    void snapshot_gatedWithoutToken_asksForHfToken() {
        FakeHub hub = hub();
        hub.token = "hf_secret";

        RerankerException e = assertThrows(RerankerException.class, () -> online(hub.endpoint()).snapshot(REPO, "main"));

        assertTrue(e.getMessage().startsWith(REPO + " is gated or private"), e.getMessage());
        assertTrue(e.getMessage().contains("HF_TOKEN is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("model(Path)"), e.getMessage());
    }

    @Test
    void snapshot_gatedWithWrongToken_saysItWasRefused() {
        FakeHub hub = hub();
        hub.token = "hf_secret";
        HubDownloader downloader = new HubDownloader(hub.endpoint(), cache, "hf_wrong", false, Duration.ofSeconds(5));

        RerankerException e = assertThrows(RerankerException.class, () -> downloader.snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("refused the HF_TOKEN"), e.getMessage());
    }

    @Test
    void snapshot_withToken_sendsItToTheHubButNotToAnotherHost() {
        FakeHub hub = hub();
        hub.token = "hf_secret";
        hub.cdnHost = "localhost"; // the endpoint is 127.0.0.1: the same server, another host
        HubDownloader downloader = new HubDownloader(hub.endpoint(), cache, "hf_secret", false, Duration.ofSeconds(5));

        Path dir = downloader.snapshot(REPO, "main");

        assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
        List<FakeHub.Request> cdn = hub.requests.stream().filter(r -> r.path().startsWith("/cdn/")).toList();
        assertFalse(cdn.isEmpty());
        for (FakeHub.Request request : cdn) {
            assertTrue(request.host().startsWith("localhost:"), request.toString());
            assertNull(request.authorization(), request.toString());
        }
        for (FakeHub.Request request : hub.requests.stream().filter(r -> r.path().contains("/resolve/")).toList()) {
            assertEquals("Bearer hf_secret", request.authorization(), request.toString());
        }
    }

    @Test
    void snapshot_offlineWithCache_worksWithTheServerStopped() {
        FakeHub hub = hub();
        Path dir = online(hub.endpoint()).snapshot(REPO, "main");
        hub.close();

        assertEquals(dir, new HubDownloader(hub.endpoint(), cache, null, true, Duration.ofSeconds(5)).snapshot(REPO, "main"));
        assertEquals(dir, new HubDownloader(hub.endpoint(), cache, null, true, Duration.ofSeconds(5)).snapshot(REPO, COMMIT));
        HubDownloader fromEnv = HubDownloader.fromEnvironment(
                Map.of("HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1", "HF_ENDPOINT", hub.endpoint().toString()),
                false);
        assertEquals(dir, fromEnv.snapshot(REPO, "main"));
    }

    @Test
    void snapshot_offlineWithoutCache_namesCacheAndModelPath() {
        HubDownloader downloader = new HubDownloader(URI.create("http://127.0.0.1:9"), cache, null, true,
                Duration.ofSeconds(5));

        RerankerException e = assertThrows(RerankerException.class, () -> downloader.snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("not in the Hugging Face cache at " + repoDir()), e.getMessage());
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
        assertTrue(e.getMessage().contains("model(Path)"), e.getMessage());
    }

    @Test
    void snapshot_offlineWithWeightsMissing_saysWhatIsMissing() throws IOException {
        FakeHub hub = hub();
        online(hub.endpoint()).snapshot(REPO, "main");
        Files.delete(snapshotDir().resolve("model.safetensors"));
        HubDownloader downloader = new HubDownloader(hub.endpoint(), cache, null, true, Duration.ofSeconds(5));

        RerankerException e = assertThrows(RerankerException.class, () -> downloader.snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("lacks model.safetensors"), e.getMessage());
    }

    @Test
    void snapshot_hubUnreachableWithCache_warnsAndUsesTheCache() throws IOException {
        FakeHub hub = hub();
        Path dir = online(hub.endpoint()).snapshot(REPO, "main");
        hub.close();
        HubDownloader downloader = online(closedPort());

        String logged = stderrOf(() -> assertEquals(dir, downloader.snapshot(REPO, "main")));

        assertTrue(logged.contains("WARN") && logged.contains("Could not reach"), logged);
    }

    @Test
    void snapshot_hubUnreachableWithoutCache_saysCouldNotReach() throws IOException {
        URI endpoint = closedPort();

        RerankerException e = assertThrows(RerankerException.class, () -> online(endpoint).snapshot(REPO, "main"));

        assertTrue(e.getMessage().startsWith("could not reach " + endpoint + " ("), e.getMessage());
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE=1"), e.getMessage());
        assertTrue(e.getMessage().contains("model(Path)"), e.getMessage());
    }

    @Test
    void snapshot_hubDownWithCache_usesTheCache() {
        FakeHub hub = hub();
        HubDownloader downloader = online(hub.endpoint());
        Path dir = downloader.snapshot(REPO, "main");
        hub.failStatus = 503;

        assertEquals(dir, downloader.snapshot(REPO, "main"));
    }

    @Test
    void snapshot_hubDownWithoutCache_namesTheStatus() {
        FakeHub hub = hub();
        hub.failStatus = 503;

        RerankerException e = assertThrows(RerankerException.class, () -> online(hub.endpoint()).snapshot(REPO, "main"));

        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    }

    @Test
    void snapshot_malformedArguments_areRejected() {
        HubDownloader downloader = new HubDownloader(URI.create("http://127.0.0.1:9"), cache, null, true,
                Duration.ofSeconds(1));

        assertThrows(IllegalArgumentException.class, () -> downloader.snapshot("no-slash", "main"));
        assertThrows(IllegalArgumentException.class, () -> downloader.snapshot(REPO, "../../etc"));
        assertThrows(IllegalArgumentException.class, () -> downloader.snapshot(REPO, ""));
        assertThrows(NullPointerException.class, () -> downloader.snapshot(REPO, null));
    }

    @Test
    void constructor_badArguments_areRejected() {
        Duration second = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class,
                () -> new HubDownloader(URI.create("ftp://127.0.0.1"), cache, null, false, second));
        assertThrows(IllegalArgumentException.class,
                () -> new HubDownloader(URI.create("http://127.0.0.1"), cache, null, false, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new HubDownloader(null, cache, null, false, second));
    }

    @Test
    void fromEnvironment_tokenEndpointAndCache_areUsed() {
        FakeHub hub = hub();
        hub.token = "hf_secret";
        HubDownloader downloader = HubDownloader.fromEnvironment(Map.of(
                "HF_ENDPOINT", hub.endpoint() + "/", "HF_HUB_CACHE", cache.toString(), "HF_TOKEN", "hf_secret\n"), false);

        assertEquals(snapshotDir(), downloader.snapshot(REPO, "main"));
    }

    @Test
    void fromEnvironment_offlineValues() {
        for (String value : List.of("1", "true", "YES", "on")) {
            assertTrue(HubDownloader.fromEnvironment(Map.of("HF_HUB_OFFLINE", value), false).toString()
                    .contains("offline=true"), value);
        }
        for (String value : List.of("0", "false", "")) {
            assertTrue(HubDownloader.fromEnvironment(Map.of("HF_HUB_OFFLINE", value), false).toString()
                    .contains("offline=false"), value);
        }
        assertTrue(HubDownloader.fromEnvironment(Map.of(), true).toString().contains("offline=true"));
        assertTrue(HubDownloader.fromEnvironment(Map.of("TRANSFORMERS_OFFLINE", "1"), false).toString()
                .contains("offline=true"));
        assertTrue(HubDownloader.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0", "TRANSFORMERS_OFFLINE", "1"), false)
                .toString().contains("offline=false"), "HF_HUB_OFFLINE wins when set");
        assertTrue(HubDownloader.fromEnvironment(Map.of(), false).toString()
                .contains("endpoint=" + HubDownloader.DEFAULT_ENDPOINT + ","));
    }

    @Test
    void fromEnvironment_badEndpoint_namesHfEndpoint() {
        RerankerException e = assertThrows(RerankerException.class,
                () -> HubDownloader.fromEnvironment(Map.of("HF_ENDPOINT", "huggingface.co"), false));

        assertTrue(e.getMessage().startsWith("HF_ENDPOINT=huggingface.co"), e.getMessage());
    }

    @Test
    void cacheDir_followsHuggingFaceHubPrecedence() {
        Path home = Path.of(System.getProperty("user.home"));
        assertEquals(Path.of("/a/hub"), HubDownloader.cacheDir(Map.of("HF_HUB_CACHE", "/a/hub", "HF_HOME", "/b")));
        assertEquals(Path.of("/b/hub"), HubDownloader.cacheDir(Map.of("HF_HOME", "/b", "XDG_CACHE_HOME", "/c")));
        assertEquals(Path.of("/c/huggingface/hub"), HubDownloader.cacheDir(Map.of("XDG_CACHE_HOME", "/c")));
        assertEquals(home.resolve(".cache/huggingface/hub"), HubDownloader.cacheDir(Map.of()));
        assertEquals(home.resolve("hf/hub"), HubDownloader.cacheDir(Map.of("HF_HOME", "~/hf")));
    }

    @Test
    void looksLikeRepoId_acceptsHubIdsOnly() {
        for (String id : List.of("cross-encoder/ms-marco-MiniLM-L-6-v2", "BAAI/bge-reranker-v2-m3", "a/b",
                "org_1/name.v2")) {
            assertTrue(HubDownloader.looksLikeRepoId(id), id);
        }
        for (String id : List.of("name", "a/b/c", "/abs", "org/", "./model", "../model", "org/na me", "org--x/y",
                "org/x..y", "org/name.git", "-org/name", "org/name-", "C:\\models\\x", "")) {
            assertFalse(HubDownloader.looksLikeRepoId(id), id);
        }
    }

    @Test
    void human_sizes() {
        assertEquals("999 B", HubDownloader.human(999));
        assertEquals("116.5 kB", HubDownloader.human(116_452));
        assertEquals("1.1 GB", HubDownloader.human(1_112_000_000));
    }

    /** What slf4j-simple, which writes to whatever System.err is at the time, logs while {@code action} runs. */
    private static String stderrOf(Runnable action) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(stderr);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
