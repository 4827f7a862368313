package dev.reranker.djl.internal.hub;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches what a cross-encoder needs from the Hugging Face Hub into the Hub's standard cache, the
 * one Python's huggingface_hub uses, so that a model downloaded by either is found by both.
 *
 * <pre>{@code
 * HubDownloader hub = HubDownloader.fromEnvironment(System.getenv(), false);
 * Path dir = hub.snapshot("cross-encoder/ms-marco-MiniLM-L-6-v2", "main"); // .../snapshots/{commit}
 * }</pre>
 *
 * <p>Online, each call asks the Hub (one HEAD per file) which commit the revision is at and downloads
 * only what the cache lacks; a commit hash whose snapshot is complete needs no request at all. If the
 * Hub cannot be reached, a usable cached snapshot of the revision is returned with a warning, as
 * huggingface_hub does. Offline, only the cache is read and the network is never touched.
 *
 * <p>A downloader is immutable and may be shared by threads. A file is written under a temporary
 * name and moved into the cache only once its size, and for large files its SHA-256, check out; so a
 * broken download never leaves a file that a later run would take as complete, and threads or
 * processes fetching the same file at once each write their own copy. Every failure is a
 * {@link RerankerException} saying what to do, including how to use a local directory instead.
 */
public final class HubDownloader {

    private static final Logger logger = LoggerFactory.getLogger(HubDownloader.class);

    static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    static final List<String> OPTIONAL = List.of("tokenizer_config.json", "special_tokens_map.json");
    static final String WEIGHTS = "model.safetensors";
    static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    private static final String PYTORCH_WEIGHTS = "pytorch_model.bin";
    private static final String LOCAL = "or pass the model's local directory to model(Path)";
    private static final String USER_AGENT = "dev.reranker-hub/1 (Java " + Runtime.version().feature() + ")";
    /** huggingface_hub's rule: word characters at both ends, no "--" or ".." anywhere (checked apart). */
    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;
    private static final long PROGRESS_ABOVE = 10_000_000;

    private final URI endpoint;
    private final Path cacheDir;
    private final String token;
    private final boolean offline;
    private final Duration timeout;
    private final HttpClient http; // null offline: no threads, no sockets

    /**
     * Options from the environment, as huggingface_hub reads them: {@code HF_ENDPOINT} (default
     * https://huggingface.co); the cache {@code HF_HUB_CACHE}, else {@code HF_HOME/hub}, else
     * {@code XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}; {@code HF_TOKEN};
     * and {@code HF_HUB_OFFLINE} (or, if unset, {@code TRANSFORMERS_OFFLINE}) set to 1, true, yes or on.
     *
     * @param env the environment, usually {@code System.getenv()}
     * @param offline true forces offline mode whatever the environment says
     */
    public static HubDownloader fromEnvironment(Map<String, String> env, boolean offline) {
        Objects.requireNonNull(env, "env");
        String endpoint = nonBlank(env.get("HF_ENDPOINT"));
        URI uri;
        try {
            uri = new URI(endpoint == null ? DEFAULT_ENDPOINT : endpoint.strip());
            checkEndpoint(uri);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new RerankerException("HF_ENDPOINT=" + endpoint + " is not an http(s) URL such as " + DEFAULT_ENDPOINT
                    + "; fix or unset it, " + LOCAL, e);
        }
        String offlineVar = nonBlank(env.get("HF_HUB_OFFLINE")) != null ? env.get("HF_HUB_OFFLINE")
                : env.get("TRANSFORMERS_OFFLINE"); // huggingface_hub honours both, the first if set
        return new HubDownloader(uri, cacheDir(env), nonBlank(env.get("HF_TOKEN")), offline || isTrue(offlineVar),
                DEFAULT_TIMEOUT);
    }

    /**
     * A downloader with explicit options; {@link #fromEnvironment} is the usual way in.
     *
     * @param endpoint the Hub, such as https://huggingface.co or a mirror
     * @param cacheDir the Hub cache (the folder holding {@code models--*}), created as needed
     * @param token sent to the endpoint (never to hosts it redirects to); null for none
     * @param offline read only the cache, never the network
     * @param timeout to connect, and to wait for a response's headers or for the next bytes of a body
     */
    public HubDownloader(URI endpoint, Path cacheDir, String token, boolean offline, Duration timeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(timeout, "timeout");
        checkEndpoint(endpoint);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
        this.cacheDir = cacheDir.toAbsolutePath();
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.offline = offline;
        this.timeout = timeout;
        this.http = offline ? null
                : HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * True if {@code s} has the form org/name: letters, digits, '-', '_' and '.', exactly one '/', as
     * the Hub allows them. A local path can look the same; callers check for a directory first.
     */
    public static boolean looksLikeRepoId(String s) {
        Objects.requireNonNull(s, "s");
        int slash = s.indexOf('/');
        return slash > 0 && slash == s.lastIndexOf('/')
                && REPO_PART.matcher(s.substring(0, slash)).matches()
                && REPO_PART.matcher(s.substring(slash + 1)).matches()
                && !s.contains("--") && !s.contains("..") && !s.endsWith(".git");
    }

    /**
     * The argument of a builder's {@code model(String)} that is not a directory, if it reads as a Hub
     * model id.
     *
     * @throws IllegalArgumentException saying it must be a directory or an id
     */
    public static String requireModelId(String directoryOrModelId) {
        if (!looksLikeRepoId(directoryOrModelId)) {
            throw new IllegalArgumentException("model must be an existing directory or a Hugging Face model id"
                    + " (organisation/name), was \"" + directoryOrModelId + "\"");
        }
        return directoryOrModelId;
    }

    /**
     * Fetches, or finds in the cache, what a reranker needs and returns the snapshot directory
     * {@code snapshots/{commit}}: {@code config.json}, {@code tokenizer.json}, {@code tokenizer_config.json}
     * and {@code special_tokens_map.json} when the repo has them, and the weights: {@code model.safetensors},
     * or {@code model.safetensors.index.json} and every shard it lists.
     *
     * @param revision a branch, tag or 40-hex commit hash, such as "main"
     * @throws IllegalArgumentException if the id or revision is malformed
     * @throws RerankerException if the model cannot be had; the message says why and what to do
     */
    public Path snapshot(String repoId, String revision) {
        Objects.requireNonNull(repoId, "repoId");
        Objects.requireNonNull(revision, "revision");
        if (!looksLikeRepoId(repoId)) {
            throw new IllegalArgumentException(
                    "repoId must look like org/name (letters, digits, '-', '_', '.'), was '" + repoId + "'");
        }
        if (revision.isEmpty() || !Arrays.stream(revision.split("/", -1)).allMatch(HubCache::isSafeName)) {
            throw new IllegalArgumentException("revision must be a branch, tag or commit hash, was '" + revision + "'");
        }
        HubCache cache = new HubCache(cacheDir, repoId);
        if (offline) {
            String problem = cacheProblem(cache, revision);
            if (problem != null) {
                throw new RerankerException("model " + repoId + " (revision " + revision + ") is not in the Hugging Face"
                        + " cache at " + cache.root() + " (" + problem + "); run once online to fill it (unset"
                        + " HF_HUB_OFFLINE), " + LOCAL);
            }
            return cache.snapshot(cache.commit(revision));
        }
        if (HubCache.isCommit(revision) && isComplete(cache, revision)) {
            logger.debug("Model {} at commit {} is complete in the cache", repoId, revision);
            return cache.snapshot(revision);
        }
        try {
            return download(cache, repoId, revision);
        } catch (Unreachable e) {
            if (cacheProblem(cache, revision) == null) {
                Path cached = cache.snapshot(cache.commit(revision));
                logger.warn("Could not reach {} ({}); using model {} (revision {}) from the cache at {}",
                        e.where, e.getMessage(), repoId, revision, cached);
                return cached;
            }
            throw new RerankerException("could not reach " + e.where + " (" + e.getMessage() + "); check the network or"
                    + " HF_ENDPOINT, set HF_HUB_OFFLINE=1 to use the cache, " + LOCAL, e.getCause());
        }
    }

    private Path download(HubCache cache, String repoId, String revision) throws Unreachable {
        Remote config = required(probe(repoId, revision, CONFIG), repoId, revision, CONFIG);
        // The other files are asked for at config.json's commit, so a branch moving meanwhile cannot mix commits.
        String commit = config.commit();
        fetch(cache, commit, config);
        fetch(cache, commit, required(probe(repoId, commit, TOKENIZER), repoId, revision, TOKENIZER));
        for (String file : OPTIONAL) {
            Remote remote = probe(repoId, commit, file);
            if (remote == null) {
                cache.markMissing(commit, file);
            } else {
                fetch(cache, commit, remote);
            }
        }
        Remote weights = probe(repoId, commit, WEIGHTS);
        if (weights != null) {
            fetch(cache, commit, weights);
        } else {
            Remote index = probe(repoId, commit, WEIGHTS_INDEX);
            if (index == null) {
                throw noSafetensors(repoId, revision, probe(repoId, commit, PYTORCH_WEIGHTS) != null);
            }
            for (String shard : shards(fetch(cache, commit, index))) {
                fetch(cache, commit, required(probe(repoId, commit, shard), repoId, revision, shard));
            }
        }
        // Written last, so refs/ only ever names a snapshot that is complete.
        if (!revision.equals(commit)) {
            try {
                cache.writeRef(revision, commit);
            } catch (IOException e) {
                throw cacheWriteFailed(repoId, "refs/" + revision, e);
            }
        }
        return cache.snapshot(commit);
    }

    private RerankerException noSafetensors(String repoId, String revision, boolean hasPytorch) {
        if (hasPytorch) {
            return new RerankerException(repoId + " (revision " + revision + ") has its weights only as "
                    + PYTORCH_WEIGHTS + ", and this library reads safetensors. Convert them once, in Python:"
                    + " AutoModelForSequenceClassification.from_pretrained(\"" + repoId + "\").save_pretrained(dir,"
                    + " safe_serialization=True) and AutoTokenizer.from_pretrained(\"" + repoId + "\")"
                    + ".save_pretrained(dir), then pass dir to model(Path)");
        }
        return new RerankerException(repoId + " (revision " + revision + ") on " + endpoint + " has no weights this"
                + " library can read: neither " + WEIGHTS + " nor " + WEIGHTS_INDEX + "; choose a model with"
                + " safetensors weights, " + LOCAL);
    }

    /** A file's commit, ETag, size and where to GET it, from a HEAD; null if the repo has no such file. */
    private Remote probe(String repoId, String revision, String file) throws Unreachable {
        URI uri = resolveUrl(repoId, revision, file);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> response = send(request("HEAD", uri), BodyHandlers.discarding());
            HttpHeaders headers = response.headers();
            int status = response.statusCode();
            String commit = headers.firstValue("X-Repo-Commit").orElse(null);
            boolean redirect = REDIRECTS.contains(status);
            if (redirect && commit == null) { // the Hub's own move, e.g. a renamed repo: ask the new address
                uri = location(uri, headers);
                continue;
            }
            if (status == 200 || redirect) { // a redirect with a commit points at the file's content (a CDN)
                return remote(repoId, file, uri, headers, redirect);
            }
            String code = headers.firstValue("X-Error-Code").orElse("");
            if (status == 404 && !code.equals("RepoNotFound") && !code.equals("RevisionNotFound")) {
                return null;
            }
            throw failure(status, headers, uri, repoId, revision);
        }
        throw tooManyRedirects(uri);
    }

    private Remote remote(String repoId, String file, URI uri, HttpHeaders headers, boolean redirect) {
        String commit = headers.firstValue("X-Repo-Commit").orElse("");
        String etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .map(e -> e.replaceFirst("^W/", "").replace("\"", "").strip()).orElse("");
        if (!HubCache.isSafeName(commit) || !HubCache.isSafeName(etag)) {
            throw new RerankerException(uri + " did not answer like a Hugging Face Hub (X-Repo-Commit '" + commit
                    + "', ETag '" + etag + "'); check HF_ENDPOINT and any proxy in between, " + LOCAL);
        }
        // A redirect's own Content-Length is that of its body, not of the file.
        long size = headers.firstValue("X-Linked-Size").or(() -> redirect ? Optional.<String>empty()
                : headers.firstValue("Content-Length")).map(HubDownloader::parseSize).orElse(-1L);
        return new Remote(repoId, file, redirect ? location(uri, headers) : uri, commit, etag, size);
    }

    private Remote required(Remote remote, String repoId, String revision, String file) {
        if (remote == null) {
            throw new RerankerException(repoId + " (revision " + revision + ") on " + endpoint + " has no " + file
                    + ", which a reranker needs (config.json, tokenizer.json and safetensors weights); check the id"
                    + " and revision, " + LOCAL);
        }
        return remote;
    }

    private RerankerException failure(int status, HttpHeaders headers, URI uri, String repoId, String revision)
            throws Unreachable {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String detail = headers.firstValue("X-Error-Message").map(m -> ": " + m).orElse("");
        if (status >= 500 || status == 429) {
            throw new Unreachable(where(uri), "HTTP " + status + detail + " for " + uri, null);
        }
        if (code.equals("RevisionNotFound")) {
            return new RerankerException("model " + repoId + " has no revision '" + revision + "' on " + endpoint
                    + ": check the branch, tag or commit hash, " + LOCAL);
        }
        String tokenState = token == null ? "HF_TOKEN is not set" : "the Hub refused the HF_TOKEN given";
        if (code.equals("RepoNotFound")) {
            return new RerankerException("no model " + repoId + " on " + endpoint + ": check the id (org/name, as in"
                    + " the model page's URL); if the model is private, set HF_TOKEN (" + tokenState + "); " + LOCAL);
        }
        if (status == 401 || status == 403) {
            return new RerankerException(repoId + " is gated or private: accept its terms at " + endpoint + "/" + repoId
                    + " and set HF_TOKEN to a token of an account with access (" + tokenState + "); " + LOCAL);
        }
        return new RerankerException(endpoint + " answered HTTP " + status + detail + " for " + uri
                + "; check HF_ENDPOINT and the model id, " + LOCAL);
    }

    /** Puts the file in the cache unless its blob is there already, and links it into the snapshot. */
    private Path fetch(HubCache cache, String commit, Remote remote) throws Unreachable {
        Path blob = cache.blob(remote.etag());
        try {
            if (Files.isRegularFile(blob) && (remote.size() < 0 || Files.size(blob) == remote.size())) {
                logger.debug("{}/{} is in the cache as {}", remote.repoId(), remote.file(), blob);
            } else {
                download(remote, blob);
            }
            return cache.link(commit, remote.file(), blob);
        } catch (IOException e) {
            throw cacheWriteFailed(remote.repoId(), remote.file(), e);
        }
    }

    private RerankerException cacheWriteFailed(String repoId, String file, IOException e) {
        return new RerankerException("could not write " + file + " of " + repoId + " into the Hugging Face cache at "
                + cacheDir + " (" + e + "); check its free space and permissions or set HF_HUB_CACHE, " + LOCAL, e);
    }

    /** Streams the file into a temporary name and moves it to {@code blob} only once it checks out. */
    private void download(Remote remote, Path blob) throws IOException, Unreachable {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = get(remote);
        long expected = remote.size() >= 0 ? remote.size()
                : response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest sha256 = SHA256.matcher(remote.etag()).matches() ? sha256() : null;
        Path temp = HubCache.temporary(blob);
        try {
            long received = copy(response, temp, expected, sha256, remote);
            if (expected >= 0 && received != expected) {
                throw broken(remote, response.uri(), "got " + received + " bytes instead of " + expected, null);
            }
            if (sha256 != null) {
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(remote.etag())) {
                    throw broken(remote, response.uri(), "its SHA-256 is " + actual + ", the Hub says " + remote.etag(),
                            null);
                }
            }
            Files.move(temp, blob, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        logger.info("Downloaded {}/{} ({}) in {}", remote.repoId(), remote.file(), human(Files.size(blob)),
                seconds(Duration.ofNanos(System.nanoTime() - start)));
    }

    private long copy(HttpResponse<InputStream> response, Path temp, long expected, MessageDigest digest,
            Remote remote) throws IOException {
        long received = 0;
        long nextTenth = 1;
        byte[] buffer = new byte[1 << 16];
        try (InputStream body = response.body();
                StallGuard guard = new StallGuard(body, timeout);
                OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    throw broken(remote, response.uri(), "it broke off after " + received + " of "
                            + (expected < 0 ? "?" : expected) + " bytes: " + (guard.stalled ? "no data for " + seconds(timeout) : e), e);
                }
                if (n < 0) {
                    break;
                }
                guard.progress();
                out.write(buffer, 0, n);
                if (digest != null) {
                    digest.update(buffer, 0, n);
                }
                received += n;
                if (expected > PROGRESS_ABOVE && received < expected && received * 10 >= nextTenth * expected) {
                    nextTenth = received * 10 / expected + 1;
                    logger.info("Downloading {}/{}: {}% of {}", remote.repoId(), remote.file(),
                            received * 100 / expected, human(expected));
                }
            }
            if (guard.stalled) {
                throw broken(remote, response.uri(), "no data for " + seconds(timeout) + " after " + received + " bytes", null);
            }
        }
        return received;
    }

    private RerankerException broken(Remote remote, URI uri, String what, Throwable cause) {
        return new RerankerException("downloading " + remote.file() + " of " + remote.repoId() + " from " + uri
                + " failed (" + what + "); nothing of it was kept, so run again to retry, " + LOCAL, cause);
    }

    private HttpResponse<InputStream> get(Remote remote) throws Unreachable {
        URI uri = remote.location();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<InputStream> response = send(request("GET", uri), BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status == 200) {
                return response;
            }
            try (InputStream unused = response.body()) {
                // only closed, to free the connection
            } catch (IOException e) {
                logger.trace("Closing the body of {}", uri, e);
            }
            if (REDIRECTS.contains(status)) {
                uri = location(uri, response.headers());
            } else if (status >= 500 || status == 429) {
                throw new Unreachable(where(uri), "HTTP " + status + " for " + uri, null);
            } else {
                throw new RerankerException(where(uri) + " answered HTTP " + status + " for " + uri + " while downloading "
                        + remote.file() + " of " + remote.repoId() + "; try again later, " + LOCAL);
            }
        }
        throw tooManyRedirects(uri);
    }

    private HttpRequest request(String method, URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(timeout) // for a GET only until the headers: StallGuard watches the body
                .header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "identity"); // sizes and hashes are of the stored bytes
        // The token is for the Hub alone, never for the CDN or storage it redirects to.
        if (token != null && sameOrigin(uri, endpoint)) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws Unreachable {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new Unreachable(where(request.uri()), describe(e, request.uri()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RerankerException("interrupted while waiting for " + request.uri(), e);
        }
    }

    private String describe(IOException e, URI uri) {
        String where = uri.getHost() + ":" + port(uri);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + uri.getHost();
            } else if (t instanceof HttpTimeoutException) {
                return "no answer from " + where + " within " + seconds(timeout);
            } else if (t instanceof ConnectException) {
                return "cannot connect to " + where + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
        }
        return e.toString();
    }

    private URI location(URI from, HttpHeaders headers) {
        String location = headers.firstValue("Location").orElse(null);
        try {
            URI to = from.resolve(new URI(Objects.requireNonNull(location, "no Location header")));
            checkEndpoint(to);
            return to;
        } catch (URISyntaxException | RuntimeException e) {
            throw new RerankerException(from + " redirected to '" + location + "', which is not an http(s) URL ("
                    + e.getMessage() + "); check HF_ENDPOINT and any proxy in between, " + LOCAL, e);
        }
    }

    private RerankerException tooManyRedirects(URI last) {
        return new RerankerException("more than " + MAX_REDIRECTS + " redirects, the last to " + last
                + "; check HF_ENDPOINT and any proxy in between, " + LOCAL);
    }

    /** The endpoint as configured when {@code uri} is on it, else the other host, for messages. */
    private String where(URI uri) {
        return sameOrigin(uri, endpoint) ? endpoint.toString() : uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private URI resolveUrl(String repoId, String revision, String file) {
        String path = Arrays.stream(file.split("/")).map(HubDownloader::encode).collect(Collectors.joining("/"));
        return URI.create(endpoint + "/" + repoId + "/resolve/" + encode(revision) + "/" + path);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static void checkEndpoint(URI uri) {
        String scheme = uri.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be an http or https URL with a host, was " + uri);
        }
    }

    /** Why the cache cannot serve the revision, or null if its snapshot holds all a reranker needs. */
    private static String cacheProblem(HubCache cache, String revision) {
        String commit = cache.commit(revision);
        if (commit == null) {
            return "no refs/" + revision;
        }
        List<String> missing = missing(cache.snapshot(commit));
        return missing.isEmpty() ? null : "snapshots/" + commit + " lacks " + String.join(", ", missing);
    }

    /** Usable, and every optional file is either there or known not to exist: nothing left to ask the Hub. */
    private static boolean isComplete(HubCache cache, String commit) {
        Path dir = cache.snapshot(commit);
        return missing(dir).isEmpty() && OPTIONAL.stream()
                .allMatch(f -> Files.isRegularFile(dir.resolve(f)) || cache.knownMissing(commit, f));
    }

    /** What {@code dir} lacks of config.json, tokenizer.json and the weights (every shard, when sharded). */
    static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String file : List.of(CONFIG, TOKENIZER)) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                missing.add(file);
            }
        }
        if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
            Path index = dir.resolve(WEIGHTS_INDEX);
            if (!Files.isRegularFile(index)) {
                missing.add(WEIGHTS);
            } else {
                shards(index).stream().filter(s -> !Files.isRegularFile(dir.resolve(s))).forEach(missing::add);
            }
        }
        return missing;
    }

    /** The distinct shard files a safetensors index names, each a relative path inside the snapshot. */
    static List<String> shards(Path index) {
        Set<String> shards = new TreeSet<>();
        try (Reader reader = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, JsonElement> entry : JsonParser.parseReader(reader).getAsJsonObject()
                    .getAsJsonObject("weight_map").entrySet()) {
                shards.add(entry.getValue().getAsString());
            }
        } catch (IOException | RuntimeException e) {
            throw new RerankerException("could not read the shard list of " + index + " (" + e + "); a "
                    + WEIGHTS_INDEX + " maps each tensor to its shard under \"weight_map\"; delete the file to fetch"
                    + " it again, " + LOCAL, e);
        }
        for (String shard : shards) {
            if (shard.startsWith("/") || !Arrays.stream(shard.split("/")).allMatch(HubCache::isSafeName)) {
                throw new RerankerException(index + " names a shard '" + shard + "' outside the model's folder; the"
                        + " index is unusable, " + LOCAL);
            }
        }
        if (shards.isEmpty()) {
            throw new RerankerException(index + " lists no shards under \"weight_map\"; the index is unusable, " + LOCAL);
        }
        return List.copyOf(shards);
    }

    static Path cacheDir(Map<String, String> env) {
        String hubCache = nonBlank(env.get("HF_HUB_CACHE"));
        if (hubCache != null) {
            return expandHome(hubCache);
        }
        String hfHome = nonBlank(env.get("HF_HOME"));
        if (hfHome != null) {
            return expandHome(hfHome).resolve("hub");
        }
        String xdg = nonBlank(env.get("XDG_CACHE_HOME"));
        Path caches = xdg != null ? expandHome(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return caches.resolve("huggingface").resolve("hub");
    }

    /** huggingface_hub expands a leading ~, so a cache set that way must mean the same folder here. */
    private static Path expandHome(String path) {
        String home = System.getProperty("user.home");
        return path.equals("~") ? Path.of(home) : path.startsWith("~/") ? Path.of(home, path.substring(2)) : Path.of(path);
    }

    private static boolean isTrue(String value) {
        return value != null && Set.of("1", "true", "yes", "on").contains(value.strip().toLowerCase(Locale.ROOT));
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < 3) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %cB", value, "kMGT".charAt(unit));
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    @Override
    public String toString() {
        return "HubDownloader{endpoint=" + endpoint + ", cache=" + cacheDir + ", token=" + (token == null ? "none" : "set")
                + ", offline=" + offline + ", timeout=" + timeout + "}";
    }

    /** One file as the Hub describes it; {@code location} is where its bytes are, {@code size} -1 if unknown. */
    private record Remote(String repoId, String file, URI location, String commit, String etag, long size) {}

    /** The Hub, or the host it redirected to, could not be reached or is down: a cached snapshot may stand in. */
    private static final class Unreachable extends Exception {

        final String where;

        Unreachable(String where, String reason, Throwable cause) {
            super(reason, cause);
            this.where = where;
        }
    }

    /**
     * Closes a response body that has had no bytes for the timeout, which wakes the reading thread
     * with an IOException: HttpClient has no read timeout of its own, and a stalled transfer must
     * fail rather than hang a model load.
     */
    private static final class StallGuard implements AutoCloseable {

        private final InputStream body;
        private final long limitNanos;
        private volatile long lastNanos = System.nanoTime();
        private volatile boolean done;
        volatile boolean stalled;

        StallGuard(InputStream body, Duration limit) {
            this.body = body;
            this.limitNanos = limit.toNanos();
            schedule(limitNanos);
        }

        void progress() {
            lastNanos = System.nanoTime();
        }

        private void schedule(long delayNanos) {
            CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(this::check);
        }

        private void check() {
            if (done) {
                return;
            }
            long quiet = System.nanoTime() - lastNanos;
            if (quiet < limitNanos) {
                schedule(limitNanos - quiet);
                return;
            }
            stalled = true;
            try {
                body.close();
            } catch (IOException e) {
                logger.trace("Closing a stalled body", e);
            }
        }

        @Override
        public void close() {
            done = true;
        }
    }
}
