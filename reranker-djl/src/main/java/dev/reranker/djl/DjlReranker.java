package dev.reranker.djl;

import dev.reranker.Reranker;
import dev.reranker.RerankerException;
import dev.reranker.ScoreMode;
import dev.reranker.Truncation;
import dev.reranker.WindowAggregation;
import dev.reranker.djl.internal.Engines;
import dev.reranker.djl.internal.HfTokenizer;
import dev.reranker.djl.internal.ModelBackend;
import dev.reranker.djl.internal.ModelFiles;
import dev.reranker.djl.internal.ModelThread;
import dev.reranker.djl.internal.PinnedSession;
import dev.reranker.djl.internal.TorchScriptBackend;
import dev.reranker.djl.internal.hub.HubDownloader;
import dev.reranker.djl.internal.nativemodel.NativeBackend;
import dev.reranker.internal.CrossEncoderPipeline;
import dev.reranker.internal.Inputs;
import dev.reranker.internal.PaddedBatch;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cross-encoder {@link Reranker} on DJL's PyTorch engine and Hugging Face tokenizers.
 *
 * <p>Build one per model and share it: it is thread-safe, and loading a model is slow. The model
 * runs on {@link Builder#predictors(int) predictors} threads of its own (on a CPU with two cores or
 * more, two by default, which share libtorch's threads between them): a call tokenizes on the
 * caller's thread and spreads its batches over those threads, and calls made at once share them
 * batch by batch. Running batches on threads of the reranker's own keeps native memory reused and
 * libtorch's worker threads busy whichever threads call. Close it to free the model's native memory
 * and end those threads; {@code close()} waits for calls in flight.
 *
 * <pre>{@code
 * try (DjlReranker reranker = DjlReranker.builder()
 *         .model(Path.of("models/ms-marco-MiniLM-L-6-v2"))
 *         .build()) {
 *     List<ScoredDocument> top = reranker.rerank("What is the capital of France?", docs, 3);
 * }
 * }</pre>
 *
 * <p>The model is a Hugging Face checkpoint directory (or Hub id): {@code config.json},
 * {@code model.safetensors}, {@code tokenizer.json} and usually {@code tokenizer_config.json}, run by
 * the native backend; or a TorchScript {@code model.pt} with its {@code tokenizer.json}. The maximum
 * length, the pad token and whether the model takes token type ids are read from the files.
 *
 * <p>DJL is kept offline: it neither downloads nor probes the network, unless {@code DJL_OFFLINE}
 * or {@code ai.djl.offline} is set otherwise.
 */
public final class DjlReranker implements Reranker {

    private static final Logger logger = LoggerFactory.getLogger(DjlReranker.class);
    /** Rerankers built in this process, to name their predictors' threads. */
    private static final AtomicInteger RERANKERS = new AtomicInteger();

    private final CrossEncoderPipeline pipeline;
    private final HfTokenizer tokenizer;
    private final ModelBackend backend;
    private final BlockingQueue<PinnedSession> sessions;
    private final int lanes;
    private final CrossEncoderPipeline.Forward forward = new Lanes();
    private final ModelThread modelThread; // the first predictor's, which loaded the model
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final AtomicLong batchesRun = new AtomicLong();
    private final String description;
    private boolean closed; // guarded by lifecycle

    private DjlReranker(Builder builder) {
        ModelFiles files = ModelFiles.read(builder.resolveModel());
        String deviceName = builder.device;
        int labels = files.numLabels();
        if (labels > 2) {
            throw new RerankerException(files.directory().resolve("config.json") + " gives the model " + labels
                    + " labels; a reranker has 1 (a relevance logit) or 2 (irrelevant, relevant)");
        }
        HfTokenizer tok = HfTokenizer.load(files);
        int id = RERANKERS.incrementAndGet();
        List<ModelThread> threads = new ArrayList<>();
        threads.add(new ModelThread("reranker-" + id + "-predictor-0"));
        ModelBackend loaded = null;
        int intraOpThreads = 0;
        int threadsEach = 0;
        try {
            int maxLength = maxLength(builder, files, tok.template().specialTokens());
            ModelThread first = threads.get(0);
            Device device = first.call(() -> Engines.device(deviceName));
            intraOpThreads = first.call(() -> {
                Engines.pytorch();
                return JniUtils.getNumThreads(); // libtorch's default for a thread, unless changed on it
            });
            int predictors = builder.predictors > 0 ? builder.predictors
                    : Device.Type.CPU.equals(device.getDeviceType()) && intraOpThreads >= 2 ? 2 : 1;
            threadsEach = Math.max(1, intraOpThreads / predictors);
            for (int i = 1; i < predictors; i++) {
                threads.add(new ModelThread("reranker-" + id + "-predictor-" + i));
            }
            // Loaded on the first predictor's thread, which runs batches too: see ModelThread.
            loaded = first.call(() -> {
                inferenceOnly();
                return loadBackend(builder.backend, builder.precision, files, device,
                        files.usesTokenTypes(tok.template().distinguishesSides()));
            });
            boolean packed = loaded.packsBatches();
            this.pipeline = new CrossEncoderPipeline(
                    new CrossEncoderPipeline.Settings(maxLength, builder.batchSize, builder.maxBatchTokens(packed),
                            builder.truncation, builder.scoreMode, builder.windowAggregation, builder.windowOverlap,
                            tok.padId(), builder.sortByLength, packed),
                    tok.template(), tok);
            this.sessions = new ArrayBlockingQueue<>(predictors);
            ModelBackend model = loaded;
            int each = threadsEach;
            boolean share = threadsEach != intraOpThreads;
            for (ModelThread thread : threads) {
                sessions.add(new PinnedSession(thread.call(() -> {
                    inferenceOnly();
                    if (share) {
                        shareIntraOpThreads(each);
                    }
                    return model.newSession();
                }), thread));
            }
        } catch (RuntimeException e) {
            closeQuietly(e, tok, loaded);
            closeQuietly(e, threads.toArray(new ModelThread[0]));
            throw e;
        } finally {
            if (threadsEach > 0 && threadsEach != intraOpThreads) {
                JniUtils.setNumThreads(intraOpThreads); // the default again, for threads other than ours
            }
        }
        this.lanes = threads.size();
        this.tokenizer = tok;
        this.backend = loaded;
        this.modelThread = threads.get(0);
        this.description = "DjlReranker{model=" + files.directory() + ", backend=" + loaded.name()
                + ", device=" + deviceName + ", predictors=" + lanes
                + (lanes > 1 ? " x " + threadsEach + " threads" : "")
                + ", maxLength=" + pipeline.settings().maxLength()
                + ", batchSize=" + builder.batchSize + ", maxBatchTokens=" + pipeline.settings().maxBatchTokens()
                + ", truncation=" + builder.truncation
                + ", scoreMode=" + builder.scoreMode
                + (builder.precision == Precision.FP32 ? "" : ", precision=" + builder.precision)
                + (builder.windowAggregation == null ? ""
                        : ", windows=" + builder.windowAggregation + "/overlap " + builder.windowOverlap)
                + "}";
        logger.info("Loaded {}", description);
    }

    /**
     * Turns autograd off on this thread: scoring needs no graph, and a TorchScript model's
     * parameters may require gradients. DJL turns it off only on the thread that starts its engine.
     */
    private static void inferenceOnly() {
        Engines.pytorch();
        JniUtils.setGradMode(false);
    }

    /**
     * Gives the calling thread {@code threads} of libtorch's intra-op threads. libtorch keeps the
     * count per thread (OpenMP's, and MKL's local one) once a thread has started, but setting it also
     * sets the default that threads starting later take, which the constructor puts back.
     *
     * <p>Why: on the AMD EPYC of 2 cores measured, calls whose batches ran on two threads of one
     * intra-op thread each scored 8.6% more pairs per second than on one thread of two (the MiniLM
     * shape, mixed lengths; see the README's Threading and lifecycle). Within one batch, attention
     * runs row by row and many operators are small, so the second core idles between libtorch's
     * parallel loops; two batches at once keep both cores busy.
     */
    private static void shareIntraOpThreads(int threads) {
        JniUtils.getNumThreads(); // starts this thread's count from the default first, or it would later
        JniUtils.setNumThreads(threads);
    }

    /**
     * Runs {@code task} on the first predictor's thread, where the model was loaded and that
     * predictor's batches run; for tools that must act on that thread (libtorch's profiler records
     * only the thread that starts it). Package-private: the benchmarks reach it by reflection.
     */
    <T> T onModelThread(Supplier<T> task) {
        return modelThread.call(task);
    }

    /** Whether autograd is off on every predictor's thread; for tests. */
    boolean predictorsRecordNoGraph() {
        for (PinnedSession session : sessions) {
            if (session.call(JniUtils::isGradMode)) {
                return false;
            }
        }
        return true;
    }

    /** Each predictor's thread's count of libtorch's intra-op threads; for tests. */
    List<Integer> predictorsIntraOpThreads() {
        List<Integer> counts = new ArrayList<>();
        for (PinnedSession session : sessions) {
            counts.add(session.call(JniUtils::getNumThreads));
        }
        return counts;
    }

    private static ModelBackend loadBackend(
            Backend backend, Precision precision, ModelFiles files, Device device, boolean tokenTypes) {
        Path dir = files.directory();
        if (backend == Backend.AUTO) {
            if (NativeBackend.preferredFor(dir, files.config())) {
                backend = Backend.NATIVE;
            } else if (Files.isRegularFile(dir.resolve("model.pt"))) {
                backend = Backend.TORCHSCRIPT;
            } else {
                throw NativeBackend.missingWeights(dir);
            }
        }
        if (backend == Backend.NATIVE) {
            if (!NativeBackend.canLoad(dir)) {
                if (Files.isRegularFile(dir.resolve("model.pt"))) {
                    throw new RerankerException("backend NATIVE needs safetensors weights (model.safetensors or"
                            + " model.safetensors.index.json), and " + dir + " has only a TorchScript model.pt;"
                            + " use backend(Backend.TORCHSCRIPT) or Backend.AUTO");
                }
                throw NativeBackend.missingWeights(dir);
            }
            return NativeBackend.load(dir, files.config(), device, precision == Precision.BF16);
        }
        if (precision != Precision.FP32) {
            throw new IllegalArgumentException("precision " + precision + " needs the native backend (safetensors"
                    + " weights); a TorchScript model.pt runs in the precision it was traced in");
        }
        return TorchScriptBackend.load(dir, device, tokenTypes, files.rowSlices());
    }

    private static int maxLength(Builder builder, ModelFiles files, int specialTokens) {
        int limit = files.modelMaxLength();
        int min = specialTokens + 1;
        if (builder.maxLength == 0) {
            if (limit == 0) {
                throw new IllegalArgumentException("the model's maximum length is unknown (no model_max_length in "
                        + "tokenizer_config.json, no max_position_embeddings in config.json); set maxLength(...)");
            }
            return limit;
        }
        if (limit > 0 && builder.maxLength > limit) {
            throw new IllegalArgumentException("maxLength must be at most the model's limit of " + limit
                    + " tokens, was " + builder.maxLength);
        }
        if (builder.maxLength < min) {
            throw new IllegalArgumentException("maxLength must be at least " + min + " (the pair's " + specialTokens
                    + " special tokens and one more), was " + builder.maxLength);
        }
        return builder.maxLength;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public float[] score(String query, List<String> documents) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("this reranker is closed");
            }
            Inputs.check(query, documents);
            if (documents.isEmpty()) {
                return new float[0];
            }
            return pipeline.score(query, documents, forward);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private PinnedSession takeSession() {
        try {
            return sessions.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RerankerException("interrupted while waiting for a free predictor", e);
        }
    }

    /** Runs on a predictor's thread. */
    private float[][] run(ModelBackend.Session session, PaddedBatch batch) {
        long start = System.nanoTime();
        float[][] logits = session.logits(batch);
        batchesRun.incrementAndGet();
        if (logger.isDebugEnabled()) {
            logger.debug("batch of {} x {} tokens in {} ms", batch.rows(), batch.length(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return logits;
    }

    /**
     * The predictors as the pipeline's forward pass: each batch takes a free predictor (waiting for
     * one), runs on its thread, and gives it back when it ends.
     */
    private final class Lanes implements CrossEncoderPipeline.Forward {

        @Override
        public float[][] logits(PaddedBatch batch) {
            try {
                return submit(batch).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error cause) {
                    throw cause;
                }
                throw e;
            }
        }

        @Override
        public int lanes() {
            return lanes;
        }

        @Override
        public CompletableFuture<float[][]> submit(PaddedBatch batch) {
            PinnedSession session = takeSession();
            CompletableFuture<float[][]> logits;
            try {
                logits = session.submit(s -> run(s, batch));
            } catch (RuntimeException e) {
                sessions.add(session);
                throw e;
            }
            return logits.whenComplete((rows, error) -> sessions.add(session));
        }
    }

    /** How many batches the model has run; for tests. */
    long batchesRun() {
        return batchesRun.get();
    }

    /** The settings in force after defaults were resolved; for tests. */
    CrossEncoderPipeline pipeline() {
        return pipeline;
    }

    /** Waits for calls in flight, then frees the model. Calling it again does nothing. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = null;
            for (PinnedSession session : sessions) {
                failure = closeQuietly(failure, session);
            }
            sessions.clear();
            failure = closeQuietly(failure, backend, tokenizer);
            if (failure != null) {
                throw failure;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Closes each resource, collecting failures onto the first one (or onto {@code failure}). */
    private static RuntimeException closeQuietly(RuntimeException failure, AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new RerankerException("could not close " + resource, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * Configures and loads a {@link DjlReranker}. Each setter checks its argument; {@link #build()}
     * checks them against the model.
     */
    public static final class Builder {

        private Path model;
        private String modelId;
        private String revision = "main";
        private boolean offline;
        private Map<String, String> environment = System.getenv();
        private String device = "cpu";
        private int maxLength; // 0: the model's own limit
        private int batchSize = 32;
        private int maxBatchTokens; // 0: batchSize pairs of 128 tokens
        private Truncation truncation = Truncation.QUERY_CAP_ONLY_SECOND;
        private ScoreMode scoreMode = ScoreMode.AUTO;
        private WindowAggregation windowAggregation;
        private int windowOverlap;
        private int predictors; // 0: chosen from the device and libtorch's threads
        private Backend backend = Backend.AUTO;
        private Precision precision = Precision.FP32;
        private boolean sortByLength = true;

        private Builder() {}

        /**
         * The model directory: a Hugging Face checkpoint ({@code config.json}, {@code model.safetensors},
         * {@code tokenizer.json}, ...) or a TorchScript {@code model.pt} with its {@code tokenizer.json}.
         */
        public Builder model(Path directory) {
            this.model = Objects.requireNonNull(directory, "directory");
            this.modelId = null;
            return this;
        }

        /**
         * A local directory, or a Hugging Face model id such as {@code "BAAI/bge-reranker-base"},
         * fetched once into the shared Hugging Face cache ({@code $HF_HUB_CACHE}, else
         * {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}) from {@code $HF_ENDPOINT}
         * (default {@code https://huggingface.co}), with {@code $HF_TOKEN} for gated models. With
         * {@code HF_HUB_OFFLINE=1} or {@link #offline(boolean)} only the cache is used.
         */
        public Builder model(String directoryOrModelId) {
            Objects.requireNonNull(directoryOrModelId, "directoryOrModelId");
            if (Files.isDirectory(Path.of(directoryOrModelId))) {
                return model(Path.of(directoryOrModelId));
            }
            this.modelId = HubDownloader.requireModelId(directoryOrModelId);
            this.model = null;
            return this;
        }

        /** The branch, tag or commit of a Hub model (default {@code main}). */
        public Builder revision(String revision) {
            Objects.requireNonNull(revision, "revision");
            if (revision.isBlank() || revision.contains("..")) {
                throw new IllegalArgumentException("revision must be a branch, tag or commit, was \"" + revision + "\"");
            }
            this.revision = revision;
            return this;
        }

        /** Use only the local Hugging Face cache for Hub models, as {@code HF_HUB_OFFLINE=1} does. */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** The environment the Hub settings are read from; for tests. */
        Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        private Path resolveModel() {
            if (model != null) {
                return model;
            }
            return HubDownloader.fromEnvironment(environment, offline).snapshot(modelId, revision);
        }

        /** {@code cpu} (the default), {@code gpu} or {@code gpu:N}. */
        public Builder device(String device) {
            Objects.requireNonNull(device, "device");
            Engines.checkDeviceName(device);
            this.device = device.trim().toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        /**
         * The longest pair the model reads, special tokens included; longer pairs are truncated (or
         * windowed). Defaults to the model's own limit; larger than it is an error at build.
         */
        public Builder maxLength(int maxLength) {
            this.maxLength = Inputs.positive("maxLength", maxLength);
            return this;
        }

        /**
         * Pairs per forward pass (default 32). The native backend runs each batch without padding;
         * the TorchScript backend pads it to its own longest pair.
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = Inputs.positive("batchSize", batchSize);
            return this;
        }

        /**
         * The most tokens one forward pass may hold: real tokens with the native backend, which runs
         * a batch without padding, by default {@code batchSize} pairs of 64 (2,048 for 32); padding
         * included with the TorchScript backend (rows times the batch's longest pair), by default
         * {@code batchSize} pairs of 128 (4,096 for 32). A batch of long pairs holds fewer pairs.
         * That bounds the memory one batch needs, whatever the list holds, and with it the peak the
         * process keeps (see the README's Native memory). A pair longer than this runs alone.
         */
        public Builder maxBatchTokens(int maxBatchTokens) {
            this.maxBatchTokens = Inputs.positive("maxBatchTokens", maxBatchTokens);
            return this;
        }

        private int maxBatchTokens(boolean packed) {
            return maxBatchTokens > 0 ? maxBatchTokens : CrossEncoderPipeline.defaultMaxBatchTokens(batchSize, packed);
        }

        /**
         * Which engine runs the model; by default chosen from the directory: safetensors weights
         * run natively, a {@code model.pt} runs as TorchScript.
         */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * The number format of the native backend (default {@link Precision#FP32}).
         * {@link Precision#BF16} is faster on CPUs with bf16 instructions (AVX-512 BF16, AMX, Arm's
         * BF16; 1.3-1.5x on the AMD Zen 5 measured) and slower on CPUs without them, which emulate it
         * (2.7-4x slower on an Intel Cascade Lake Xeon, about 7x on an AVX2-only AMD Zen 3; loading
         * then logs a warning), at about 1e-2 of score; it needs safetensors weights.
         */
        public Builder precision(Precision precision) {
            this.precision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        /**
         * Whether pairs are sorted by length before they are cut into batches (default
         * {@code true}). {@code false} keeps input order and batches of {@code batchSize} (fewer
         * where {@link #maxBatchTokens} cuts them), each padded to its own longest pair: slower on
         * lists of mixed lengths with the TorchScript backend, which runs the padding; the native
         * backend packs each batch without it, so there it changes little. For comparisons.
         */
        public Builder sortByLength(boolean sortByLength) {
            this.sortByLength = sortByLength;
            return this;
        }

        /** How over-long pairs are cut; default {@link Truncation#QUERY_CAP_ONLY_SECOND}. */
        public Builder truncation(Truncation truncation) {
            this.truncation = Objects.requireNonNull(truncation, "truncation");
            return this;
        }

        /** Probabilities ({@link ScoreMode#AUTO}, the default) or raw logits. */
        public Builder scoreMode(ScoreMode scoreMode) {
            this.scoreMode = Objects.requireNonNull(scoreMode, "scoreMode");
            return this;
        }

        /**
         * Scores a document too long for the window as overlapping windows instead of cutting it, and
         * combines the windows' scores. Documents that fit one window score exactly as without this.
         * Off by default.
         *
         * @param overlapTokens how many document tokens consecutive windows share (Hugging Face's
         *     {@code stride}); at least 0
         */
        public Builder slidingWindows(WindowAggregation aggregation, int overlapTokens) {
            Objects.requireNonNull(aggregation, "aggregation");
            if (overlapTokens < 0) {
                throw new IllegalArgumentException("overlapTokens must not be negative, was " + overlapTokens);
            }
            this.windowAggregation = aggregation;
            this.windowOverlap = overlapTokens;
            return this;
        }

        /**
         * How many threads run the model's batches (default: 2 on a CPU where libtorch has two
         * intra-op threads or more, else 1). Each has its own DJL predictor; libtorch's intra-op
         * threads are shared out among them (4 cores and 2 predictors: 2 each). A call spreads its
         * batches over all of them, and calls made at once share them batch by batch, so two
         * batches run at once, each on its share of the cores. On the 2-core AMD EPYC measured, that
         * scored 8.6% more pairs per second than one predictor with both cores: inside one batch the
         * second core idles between libtorch's parallel loops. Each predictor holds the
         * temporaries of one batch (see {@link #maxBatchTokens}); {@code predictors(1)} runs one batch
         * at a time on all of libtorch's threads.
         */
        public Builder predictors(int predictors) {
            this.predictors = Inputs.positive("predictors", predictors);
            return this;
        }

        /**
         * Loads the model.
         *
         * @throws IllegalStateException if no model was set
         * @throws IllegalArgumentException if maxLength does not fit the model
         * @throws RerankerException if a file is missing or unreadable, or the device is not there
         */
        public DjlReranker build() {
            if (model == null && modelId == null) {
                throw new IllegalStateException("no model set: call model(Path) with the model directory,"
                        + " or model(String) with a directory or a Hugging Face model id");
            }
            return new DjlReranker(this);
        }
    }
}
