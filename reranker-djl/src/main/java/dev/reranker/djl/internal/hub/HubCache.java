package dev.reranker.djl.internal.hub;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's folder in the Hugging Face cache, laid out exactly as Python's huggingface_hub lays it
 * out, so that each finds the other's downloads:
 *
 * <pre>
 * models--{org}--{name}/blobs/{etag}               the contents, named by the Hub's ETag
 * models--{org}--{name}/snapshots/{commit}/{file}  a relative symlink to ../../blobs/{etag}
 * models--{org}--{name}/refs/{revision}            the commit a branch or tag was last seen at
 * models--{org}--{name}/.no_exist/{commit}/{file}  empty: the repo has no such file at that commit
 * </pre>
 *
 * Everything a reader relies on is written under a temporary name and moved into place atomically,
 * so neither a reader nor a later run after a crash sees half a file.
 */
final class HubCache {

    private static final Logger logger = LoggerFactory.getLogger(HubCache.class);
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    /** Windows without developer mode refuses symlinks; say once that copies are used instead. */
    private static final AtomicBoolean copyWarned = new AtomicBoolean();

    private final Path root;

    HubCache(Path cacheDir, String repoId) {
        this.root = cacheDir.resolve("models--" + repoId.replace("/", "--"));
    }

    Path root() {
        return root;
    }

    Path blob(String etag) {
        return root.resolve("blobs").resolve(etag);
    }

    Path snapshot(String commit) {
        return root.resolve("snapshots").resolve(commit);
    }

    static boolean isCommit(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** The commit a revision was last seen at: refs/{revision} if present, else the revision if it is a commit hash. */
    String commit(String revision) {
        try {
            String commit = Files.readString(root.resolve("refs").resolve(revision), StandardCharsets.UTF_8).trim();
            return isSafeName(commit) ? commit : null;
        } catch (NoSuchFileException e) {
            return isCommit(revision) ? revision : null;
        } catch (IOException e) {
            throw new RerankerException("could not read " + root.resolve("refs").resolve(revision) + ": " + e
                    + "; check the cache's permissions or delete that file, or pass the model's local directory to"
                    + " model(Path)", e);
        }
    }

    void writeRef(String revision, String commit) throws IOException {
        Path ref = root.resolve("refs").resolve(revision);
        if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).trim().equals(commit)) {
            return;
        }
        Path temp = temporary(ref);
        try {
            Files.writeString(temp, commit, StandardCharsets.UTF_8);
            Files.move(temp, ref, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Remembers that the repo lacks an optional file, so a pinned commit can later be served without asking. */
    void markMissing(String commit, String file) {
        Path marker = root.resolve(".no_exist").resolve(commit).resolve(file);
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        } catch (IOException e) {
            logger.debug("Could not write {}; the Hub will be asked again next time", marker, e);
        }
    }

    boolean knownMissing(String commit, String file) {
        return Files.exists(root.resolve(".no_exist").resolve(commit).resolve(file));
    }

    /** Makes snapshots/{commit}/{file} point at the blob: a relative symlink, or a copy where symlinks fail. */
    Path link(String commit, String file, Path blob) throws IOException {
        Path link = snapshot(commit).resolve(file);
        if (Files.exists(link) && Files.isSameFile(link, blob)) {
            return link;
        }
        Path temp = temporary(link);
        try {
            try {
                Files.createSymbolicLink(temp, link.getParent().relativize(blob));
            } catch (IOException | UnsupportedOperationException e) {
                if (copyWarned.compareAndSet(false, true)) {
                    logger.warn("Cannot create symlinks in {} ({}); copying files into snapshots instead, which takes"
                            + " twice the disk space", root.getParent(), e.toString());
                }
                Files.copy(blob, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return link;
    }

    /**
     * An unused name beside {@code target} (whose folder it creates) to write to and then move over it.
     * Unique rather than Python's {@code {etag}.incomplete}, so that two processes never write one file.
     */
    static Path temporary(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".incomplete");
    }

    /** Whether a name from the server or the cache can be used as one path segment without escaping its folder. */
    static boolean isSafeName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == ':');
    }
}
