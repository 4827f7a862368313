package dev.reranker.djl.internal.hub;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face Hub as huggingface_hub sees it, on loopback: {@code /{repo}/resolve/{revision}/{file}}
 * answers with X-Repo-Commit and a quoted git-SHA-1 ETag; a safetensors file answers with a 302 to
 * {@code /cdn/{sha256}} carrying X-Linked-Etag and X-Linked-Size; failures carry X-Error-Code. It
 * records every request and misbehaves on cue. Bound to 127.0.0.1 only.
 */
public final class FakeHub implements AutoCloseable {

    public static final String REPO = "tiny/bert-reranker";
    static final String COMMIT = "5d3b0a6c1e2f4a7b8c9d0e1f2a3b4c5d6e7f8091";
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");

    record Request(String method, String path, String host, String authorization) {}

    /** The repo's files by path; tests add and remove before asking. */
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** When set, resolve URLs answer 401 GatedRepo unless "Authorization: Bearer {token}" comes along. */
    volatile String token;
    /** When set, safetensors redirect to http://{cdnHost}:{port}/cdn/... instead of a relative /cdn/... */
    volatile String cdnHost;
    /** A repo id that redirects (307, relative, no commit) to {@link #REPO}, as the Hub does for a renamed repo. */
    volatile String renamedFrom;
    /** The file whose body stops halfway and whose connection is then dropped. */
    volatile String cutOff;
    /** The file whose body stops halfway and then hangs until the server stops. */
    volatile String stall;
    /** The file served with the promised length but other bytes. */
    volatile String corrupt;
    /** The file whose body comes in ten pieces, this far apart. */
    volatile String slow;
    volatile long slowPauseMillis;
    /** When not 0, every request gets this status. */
    volatile int failStatus;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch stopping = new CountDownLatch(1);

    private FakeHub(Map<String, byte[]> files) throws IOException {
        this.files.putAll(files);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor); // a stalled answer must not hold up the others
        server.start();
    }

    public static FakeHub serving(Map<String, byte[]> files) {
        try {
            return new FakeHub(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file of the tiny-bert fixture, read from the test classpath. */
    public static Map<String, byte[]> tinyBert() {
        URL url = FakeHub.class.getResource("/fixtures/tiny-bert");
        if (url == null) {
            throw new IllegalStateException("no fixture fixtures/tiny-bert on the test classpath");
        }
        Map<String, byte[]> files = new HashMap<>();
        try (var list = Files.list(Path.of(url.toURI()))) {
            for (Path file : (Iterable<Path>) list::iterator) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    /** What the cache must name the file's blob: the sha256 for safetensors files, the git blob SHA-1 for others. */
    String etag(String file) {
        byte[] bytes = files.get(file);
        return file.endsWith(".safetensors") ? sha256(bytes) : gitSha1(bytes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Headers in = exchange.getRequestHeaders();
            requests.add(new Request(exchange.getRequestMethod(), path, in.getFirst("Host"), in.getFirst("Authorization")));
            if (failStatus != 0) {
                reply(exchange, failStatus);
            } else if (path.startsWith("/cdn/")) {
                cdn(exchange, path.substring("/cdn/".length()));
            } else {
                resolve(exchange, path);
            }
        } catch (IOException e) {
            // Expected when a body is cut short on purpose or the client gives up.
        }
    }

    private void resolve(HttpExchange exchange, String path) throws IOException {
        Matcher m = RESOLVE.matcher(path);
        if (!m.matches()) {
            reply(exchange, 404);
            return;
        }
        String repo = m.group(1);
        String revision = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        String file = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
        Headers out = exchange.getResponseHeaders();
        if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            out.set("X-Error-Code", "GatedRepo");
            out.set("X-Error-Message", "Access to model " + repo + " is restricted.");
            reply(exchange, 401);
        } else if (repo.equals(renamedFrom)) {
            out.set("Location", "/" + REPO + "/resolve/" + m.group(2) + "/" + m.group(3));
            reply(exchange, 307);
        } else if (!repo.equals(REPO)) {
            out.set("X-Error-Code", "RepoNotFound");
            reply(exchange, 404);
        } else if (!revision.equals("main") && !revision.equals(COMMIT)) {
            out.set("X-Error-Code", "RevisionNotFound");
            reply(exchange, 404);
        } else if (!files.containsKey(file)) {
            out.set("X-Repo-Commit", COMMIT);
            out.set("X-Error-Code", "EntryNotFound");
            reply(exchange, 404);
        } else if (file.endsWith(".safetensors")) {
            byte[] bytes = files.get(file);
            String sha = sha256(bytes);
            out.set("X-Repo-Commit", COMMIT);
            out.set("X-Linked-Etag", "\"" + sha + "\"");
            out.set("X-Linked-Size", String.valueOf(bytes.length));
            out.set("ETag", "W/\"" + gitSha1(sha.getBytes(StandardCharsets.UTF_8)) + "\""); // the LFS pointer's
            out.set("Location", (cdnHost == null ? "" : "http://" + cdnHost + ":" + server.getAddress().getPort())
                    + "/cdn/" + sha);
            reply(exchange, 302);
        } else {
            byte[] bytes = files.get(file);
            out.set("X-Repo-Commit", COMMIT);
            out.set("ETag", "\"" + gitSha1(bytes) + "\"");
            body(exchange, file, bytes);
        }
    }

    private void cdn(HttpExchange exchange, String sha) throws IOException {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (sha256(file.getValue()).equals(sha)) {
                exchange.getResponseHeaders().set("ETag", "\"" + sha + "\"");
                body(exchange, file.getKey(), file.getValue());
                return;
            }
        }
        reply(exchange, 404);
    }

    private void body(HttpExchange exchange, String file, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Length", String.valueOf(bytes.length));
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1); // -1 keeps the Content-Length set above
            return;
        }
        exchange.sendResponseHeaders(200, bytes.length);
        OutputStream out = exchange.getResponseBody();
        if (file.equals(corrupt)) {
            bytes = bytes.clone();
            bytes[bytes.length / 2] ^= 1;
        }
        if (file.equals(cutOff) || file.equals(stall)) {
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            if (file.equals(stall)) {
                awaitStop();
            }
            return; // closing the exchange short of Content-Length drops the connection
        }
        if (file.equals(slow)) {
            int piece = (bytes.length + 9) / 10;
            for (int offset = 0; offset < bytes.length; offset += piece) {
                out.write(bytes, offset, Math.min(piece, bytes.length - offset));
                out.flush();
                pause(slowPauseMillis);
            }
            return;
        }
        out.write(bytes);
    }

    private static void reply(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    private void awaitStop() {
        try {
            stopping.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    /** The id git gives the file's contents, which is what the Hub sends as a small file's ETag. */
    static String gitSha1(byte[] bytes) {
        byte[] header = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[header.length + bytes.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(bytes, 0, all, header.length, bytes.length);
        return hex("SHA-1", all);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
