package dev.reranker.djl.train;

import dev.reranker.Reranker;
import dev.reranker.RerankerException;
import dev.reranker.ScoreMode;
import dev.reranker.Truncation;
import dev.reranker.djl.internal.Engines;
import dev.reranker.djl.internal.HfTokenizer;
import dev.reranker.djl.internal.ModelFiles;
import dev.reranker.djl.internal.hub.HubDownloader;
import dev.reranker.djl.internal.nativemodel.TrainableModel;
import dev.reranker.eval.Evaluation;
import dev.reranker.eval.JudgedQuery;
import dev.reranker.eval.RankingEvaluator;
import dev.reranker.internal.CrossEncoderPipeline;
import dev.reranker.internal.Inputs;
import dev.reranker.internal.PaddedBatch;
import dev.reranker.internal.TokenizedPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a cross-encoder on (query, positive, negatives) data and writes a Hugging Face
 * checkpoint, as FlagEmbedding's reranker training and sentence-transformers' CrossEncoder training
 * do in Python.
 *
 * <pre>{@code
 * CrossEncoderTrainer trainer = CrossEncoderTrainer.builder()
 *         .model(Path.of("models/all-MiniLM-L6-v2"))   // a cross-encoder, or a plain encoder
 *         .loss(Loss.LISTWISE)
 *         .epochs(2)
 *         .build();
 * TrainingResult result = trainer.train(
 *         TrainingData.read(Path.of("train.jsonl")),
 *         TrainingData.read(Path.of("eval.jsonl")).judged(),
 *         Path.of("models/my-reranker"));
 * try (DjlReranker reranker = DjlReranker.builder().model(result.output()).build()) { ... }
 * }</pre>
 *
 * <p>Each step takes {@code batchSize} queries; each query contributes a group of one positive (drawn
 * from its positives) and {@code groupSize - 1} negatives: its given negatives, topped up with
 * random documents of other queries, or with {@link Builder#hardNegatives(boolean)} the documents
 * the current model ranks highest among its given negatives and a random pool. AdamW with linear
 * warm-up and decay, gradient clipping, dropout as the checkpoint configures it. The model is
 * evaluated before training and after every epoch, and the best epoch's weights are what is saved.
 *
 * <p>A plain encoder checkpoint ({@code BertModel}, {@code XLMRobertaModel}) gets a fresh
 * one-label head, initialised as Hugging Face does, and a log line says so.
 *
 * <p>The same seed on the same machine gives the same weights. A trainer holds only settings: it is
 * immutable and thread-safe, and each {@link #train} call loads the model afresh. Training runs
 * one at a time per process, whatever the trainer (DJL records gradients for one loop at a time);
 * other calls wait. Interrupting the training thread stops it between steps with a
 * {@link RerankerException}; the output then holds the best epoch saved so far, if any.
 */
public final class CrossEncoderTrainer {

    private static final Logger logger = LoggerFactory.getLogger(CrossEncoderTrainer.class);

    /** Files besides the weights and config.json that make the checkpoint usable: the tokenizer's. */
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt", "sentencepiece.bpe.model",
            "spiece.model", "added_tokens.json");

    /** libtorch records gradients for one training loop per process (DJL allows one collector at a time). */
    private static final Object TRAINING = new Object();

    /** Pairs per scoring batch during evaluation and hard-negative mining. */
    private static final int SCORING_BATCH = 32;

    private final Path model;
    private final String modelId;
    private final boolean offline;
    private final String device;
    private final Loss loss;
    private final int epochs;
    private final int batchSize;
    private final int groupSize;
    private final double learningRate;
    private final double warmupRatio;
    private final double weightDecay;
    private final double maxGradNorm;
    private final int gradientAccumulation;
    private final int maxLength;
    private final long seed;
    private final boolean hardNegatives;
    private final int hardNegativePool;
    private final double margin;
    private final int evalK;
    private final Consumer<TrainingProgress> progress;

    private CrossEncoderTrainer(Builder b) {
        this.model = b.model;
        this.modelId = b.modelId;
        this.offline = b.offline;
        this.device = b.device;
        this.loss = b.loss;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.groupSize = b.groupSize;
        this.learningRate = b.learningRate;
        this.warmupRatio = b.warmupRatio;
        this.weightDecay = b.weightDecay;
        this.maxGradNorm = b.maxGradNorm;
        this.gradientAccumulation = b.gradientAccumulation;
        this.maxLength = b.maxLength;
        this.seed = b.seed;
        this.hardNegatives = b.hardNegatives;
        this.hardNegativePool = b.hardNegativePool;
        this.margin = b.margin;
        this.evalK = b.evalK;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains without evaluation data: every epoch is saved over the previous one. */
    public TrainingResult train(TrainingData data, Path output) {
        return train(data, List.of(), output);
    }

    /**
     * Trains on {@code data}, evaluating on {@code eval} (may be empty) before training and after
     * every epoch, and writes the best epoch's checkpoint to {@code output} (created if needed;
     * files of the same names are replaced).
     *
     * @throws RerankerException if the model cannot be loaded or trained, or the output not written
     */
    public TrainingResult train(TrainingData data, List<JudgedQuery> eval, Path output) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(eval, "eval");
        Objects.requireNonNull(output, "output");
        synchronized (TRAINING) {
            return trainAlone(data, eval, output);
        }
    }

    private TrainingResult trainAlone(TrainingData data, List<JudgedQuery> eval, Path output) {
        long started = System.nanoTime();
        Path directory = model != null ? model
                : HubDownloader.fromEnvironment(System.getenv(), offline).snapshot(modelId, "main");
        checkOutput(directory, output);
        ModelFiles files = ModelFiles.read(directory);
        try (HfTokenizer tokenizer = HfTokenizer.load(files);
                TrainableModel trainable = TrainableModel.load(directory, files.config(), Engines.device(device), seed)) {
            if (!trainable.freshlyInitialized().isEmpty()) {
                logger.info("{} has no classification head; initialised fresh (train before use): {}",
                        directory, String.join(", ", trainable.freshlyInitialized()));
            }
            CrossEncoderPipeline pipeline = new CrossEncoderPipeline(new CrossEncoderPipeline.Settings(
                    maxLength(files, tokenizer), SCORING_BATCH,
                    CrossEncoderPipeline.defaultMaxBatchTokens(SCORING_BATCH, true), Truncation.QUERY_CAP_ONLY_SECOND,
                    ScoreMode.AUTO, null, 0, tokenizer.padId(), true, true),
                    tokenizer.template(), tokenizer);
            Run run = new Run(trainable, pipeline, data, eval, output, directory);
            return run.execute(started);
        }
    }

    private static void checkOutput(Path model, Path output) {
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new RerankerException("output " + output + " is a file; pass a directory for the trained checkpoint");
        }
        try {
            if (Files.isDirectory(output) && Files.isSameFile(model, output)) {
                throw new RerankerException("output " + output + " is the model being trained; write the trained"
                        + " checkpoint to another directory");
            }
        } catch (IOException e) {
            throw new RerankerException("could not check " + output + ": " + e.getMessage(), e);
        }
    }

    private int maxLength(ModelFiles files, HfTokenizer tokenizer) {
        int limit = files.modelMaxLength();
        int min = tokenizer.template().specialTokens() + 2;
        if (maxLength == 0) {
            if (limit == 0) {
                throw new IllegalArgumentException("the model's maximum length is unknown (no model_max_length in "
                        + "tokenizer_config.json, no max_position_embeddings in config.json); set maxLength(...)");
            }
            return limit;
        }
        if (limit > 0 && maxLength > limit) {
            throw new IllegalArgumentException("maxLength must be at most the model's limit of " + limit
                    + " tokens, was " + maxLength);
        }
        if (maxLength < min) {
            throw new IllegalArgumentException("maxLength must be at least " + min + " for this model, was " + maxLength);
        }
        return maxLength;
    }

    /** One call of {@link #train}: the loaded model and the data. */
    private final class Run {
        private final TrainableModel trainable;
        private final CrossEncoderPipeline pipeline;
        private final List<TrainingExample> examples;
        private final List<JudgedQuery> eval;
        private final Path output;
        private final Path source;
        private final List<String> corpus;
        private final Random random = new Random(seed);
        private final Reranker view;

        Run(TrainableModel trainable, CrossEncoderPipeline pipeline, TrainingData data, List<JudgedQuery> eval,
                Path output, Path source) {
            this.trainable = trainable;
            this.pipeline = pipeline;
            this.examples = data.examples();
            this.eval = List.copyOf(eval);
            this.output = output;
            this.source = source;
            this.corpus = data.documents();
            if (corpus.size() < groupSize) {
                throw new IllegalArgumentException("groupSize " + groupSize + " needs at least that many distinct"
                        + " documents in the training data, which has " + corpus.size());
            }
            this.view = new ModelView(trainable, pipeline);
        }

        TrainingResult execute(long started) {
            RankingEvaluator evaluator = RankingEvaluator.builder().k(evalK).build();
            Evaluation before = eval.isEmpty() ? null : evaluator.evaluate(view, eval);
            if (before != null) {
                logger.info("Before training: {}", before);
            }
            int microBatches = (examples.size() + batchSize - 1) / batchSize;
            int stepsPerEpoch = (microBatches + gradientAccumulation - 1) / gradientAccumulation;
            int totalSteps = stepsPerEpoch * epochs;
            int warmup = (int) Math.ceil(totalSteps * warmupRatio);
            List<EpochResult> results = new ArrayList<>();
            Evaluation best = null;
            int bestEpoch = 0;
            int step = 0;
            long trainingNanos = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                List<List<String>> groups = groups();
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < examples.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, random);
                double lossSum = 0;
                double reportSum = 0;
                int reportCount = 0;
                for (int m = 0; m < microBatches; m++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new RerankerException("training was interrupted in epoch " + epoch + " after " + step
                                + " steps; " + (bestEpoch == 0 ? "nothing was saved" : output + " holds epoch " + bestEpoch));
                    }
                    List<TokenizedPair> pairs = new ArrayList<>();
                    for (int q : order.subList(m * batchSize, Math.min(examples.size(), (m + 1) * batchSize))) {
                        pairs.addAll(pipeline.pairs(examples.get(q).query(), groups.get(q)));
                    }
                    int inStep = Math.min(gradientAccumulation, microBatches - m / gradientAccumulation * gradientAccumulation);
                    float value = trainable.accumulate(PaddedBatch.of(pairs, pipeline.settings().padId()), groupSize,
                            loss, (float) margin, 1f / inStep);
                    lossSum += value;
                    reportSum += value;
                    reportCount++;
                    if ((m + 1) % gradientAccumulation == 0 || m == microBatches - 1) {
                        double lr = learningRate * schedule(step, warmup, totalSteps);
                        trainable.update((float) lr, (float) weightDecay, (float) maxGradNorm);
                        step++;
                        long elapsed = trainingNanos + System.nanoTime() - epochStart;
                        TrainingProgress now = new TrainingProgress(epoch, epochs, step, totalSteps,
                                reportSum / reportCount, lr, Duration.ofNanos(elapsed),
                                Duration.ofNanos((long) ((double) elapsed / step * (totalSteps - step))));
                        reportSum = 0;
                        reportCount = 0;
                        logger.debug("{}", now);
                        if (progress != null) {
                            progress.accept(now);
                        }
                    }
                }
                trainingNanos += System.nanoTime() - epochStart;
                Evaluation evaluation = eval.isEmpty() ? null : evaluator.evaluate(view, eval);
                EpochResult result = new EpochResult(epoch, lossSum / microBatches, evaluation,
                        Duration.ofNanos(System.nanoTime() - epochStart));
                results.add(result);
                logger.info("Epoch {}/{}: mean loss {}{}", epoch, epochs, String.format("%.4f", result.meanLoss()),
                        evaluation == null ? "" : ", " + evaluation);
                if (best == null || evaluation == null || evaluation.ndcg() > best.ndcg()) {
                    best = evaluation;
                    bestEpoch = epoch;
                    save();
                }
            }
            return new TrainingResult(before, best, bestEpoch, results, Duration.ofNanos(System.nanoTime() - started),
                    output);
        }

        /** Hugging Face's linear schedule: warm up from 0 over {@code warmup} steps, then decay to 0. */
        private double schedule(int step, int warmup, int total) {
            if (step < warmup) {
                return (double) step / warmup;
            }
            return Math.max(0, (double) (total - step) / Math.max(1, total - warmup));
        }

        /** Each example's group for this epoch: a positive, then {@code groupSize - 1} negatives. */
        private List<List<String>> groups() {
            List<List<String>> mined = hardNegatives ? mine() : null;
            List<List<String>> groups = new ArrayList<>(examples.size());
            for (int i = 0; i < examples.size(); i++) {
                TrainingExample e = examples.get(i);
                List<String> group = new ArrayList<>(groupSize);
                group.add(e.positives().get(random.nextInt(e.positives().size())));
                List<String> negatives;
                if (mined != null) {
                    negatives = mined.get(i);
                } else {
                    negatives = new ArrayList<>(e.negatives());
                    Collections.shuffle(negatives, random);
                }
                Set<String> taken = new HashSet<>(e.positives());
                for (String n : negatives) {
                    if (group.size() == groupSize) {
                        break;
                    }
                    if (taken.add(n)) {
                        group.add(n);
                    }
                }
                fillRandomly(group, taken);
                groups.add(group);
            }
            return groups;
        }

        /** Tops a group up with random documents of the training data that it does not hold. */
        private void fillRandomly(List<String> group, Set<String> taken) {
            int available = corpus.size() - taken.size();
            while (group.size() < groupSize) {
                if (available <= 0) {
                    throw new IllegalArgumentException("groupSize " + groupSize + " needs more distinct documents"
                            + " than the training data has besides a query's positives");
                }
                String d = corpus.get(random.nextInt(corpus.size()));
                if (taken.add(d)) {
                    group.add(d);
                    available--;
                }
            }
        }

        /**
         * Hard negatives with the current model: each query's given negatives and
         * {@code hardNegativePool} random documents, ranked, best first, positives excluded.
         */
        private List<List<String>> mine() {
            long start = System.nanoTime();
            List<List<String>> out = new ArrayList<>(examples.size());
            int pairs = 0;
            for (TrainingExample e : examples) {
                Set<String> positives = new HashSet<>(e.positives());
                Set<String> pool = new LinkedHashSet<>(e.negatives());
                pool.removeAll(positives);
                int target = pool.size() + Math.min(hardNegativePool, corpus.size() - positives.size() - pool.size());
                while (pool.size() < target) {
                    String d = corpus.get(random.nextInt(corpus.size()));
                    if (!positives.contains(d)) {
                        pool.add(d);
                    }
                }
                List<String> candidates = new ArrayList<>(pool);
                pairs += candidates.size();
                List<String> ranked = new ArrayList<>();
                view.rerank(e.query(), candidates).forEach(s -> ranked.add(s.document()));
                out.add(ranked.subList(0, Math.min(groupSize - 1, ranked.size())));
            }
            logger.info("Mined hard negatives for {} queries ({} pairs scored) in {}", examples.size(), pairs,
                    TrainingProgress.format(Duration.ofNanos(System.nanoTime() - start)));
            return out;
        }

        private void save() {
            trainable.save(output);
            for (String name : TOKENIZER_FILES) {
                Path file = source.resolve(name);
                if (Files.isRegularFile(file)) {
                    try {
                        Files.copy(file, output.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new RerankerException("could not copy " + file + " to " + output + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    /** The model being trained as a {@link Reranker}, for evaluation and mining. */
    private static final class ModelView implements Reranker {
        private final TrainableModel trainable;
        private final CrossEncoderPipeline pipeline;

        ModelView(TrainableModel trainable, CrossEncoderPipeline pipeline) {
            this.trainable = trainable;
            this.pipeline = pipeline;
        }

        @Override
        public float[] score(String query, List<String> documents) {
            Inputs.check(query, documents);
            return pipeline.score(query, documents, trainable::logits);
        }

        @Override
        public void close() {
            // the training run owns the model
        }
    }

    /** Settings of a {@link CrossEncoderTrainer}; each setter checks its argument. */
    public static final class Builder {
        private Path model;
        private String modelId;
        private boolean offline;
        private String device = "cpu";
        private Loss loss = Loss.LISTWISE;
        private int epochs = 1;
        private int batchSize = 4;
        private int groupSize = 8;
        private double learningRate = 2e-5;
        private double warmupRatio = 0.1;
        private double weightDecay = 0.01;
        private double maxGradNorm = 1.0;
        private int gradientAccumulation = 1;
        private int maxLength;
        private long seed = 42;
        private boolean hardNegatives;
        private int hardNegativePool = 30;
        private double margin = 1.0;
        private int evalK = 10;
        private Consumer<TrainingProgress> progress;

        private Builder() {}

        /** The starting checkpoint: a cross-encoder or a plain encoder (Hugging Face layout, safetensors). */
        public Builder model(Path directory) {
            this.model = Objects.requireNonNull(directory, "directory");
            this.modelId = null;
            return this;
        }

        /** A local directory or a Hugging Face model id, resolved as {@code DjlReranker.Builder.model(String)}. */
        public Builder model(String directoryOrModelId) {
            Objects.requireNonNull(directoryOrModelId, "directoryOrModelId");
            if (Files.isDirectory(Path.of(directoryOrModelId))) {
                return model(Path.of(directoryOrModelId));
            }
            this.modelId = HubDownloader.requireModelId(directoryOrModelId);
            this.model = null;
            return this;
        }

        /** Use only the local Hugging Face cache for a Hub model. */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** {@code cpu} (the default), {@code gpu} or {@code gpu:N}. */
        public Builder device(String device) {
            Engines.checkDeviceName(Objects.requireNonNull(device, "device"));
            this.device = device;
            return this;
        }

        /** The objective; default {@link Loss#LISTWISE}. */
        public Builder loss(Loss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** Passes over the training data; default 1. */
        public Builder epochs(int epochs) {
            this.epochs = Inputs.positive("epochs", epochs);
            return this;
        }

        /** Queries per micro-batch, each bringing {@code groupSize} pairs; default 4. */
        public Builder batchSize(int batchSize) {
            this.batchSize = Inputs.positive("batchSize", batchSize);
            return this;
        }

        /** One positive plus {@code groupSize - 1} negatives per query; at least 2; default 8 (FlagEmbedding's). */
        public Builder groupSize(int groupSize) {
            if (groupSize < 2) {
                throw new IllegalArgumentException("groupSize must be at least 2 (a positive and a negative), was "
                        + groupSize);
            }
            this.groupSize = groupSize;
            return this;
        }

        /** The peak learning rate of AdamW; default 2e-5. */
        public Builder learningRate(double learningRate) {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be positive and finite, was " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        /** The share of steps spent warming up linearly from 0; the rest decays linearly to 0; default 0.1. */
        public Builder warmupRatio(double warmupRatio) {
            if (!(warmupRatio >= 0 && warmupRatio < 1)) {
                throw new IllegalArgumentException("warmupRatio must be in [0, 1), was " + warmupRatio);
            }
            this.warmupRatio = warmupRatio;
            return this;
        }

        /** AdamW's decoupled weight decay, not applied to biases and LayerNorm; default 0.01. */
        public Builder weightDecay(double weightDecay) {
            if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be zero or positive, was " + weightDecay);
            }
            this.weightDecay = weightDecay;
            return this;
        }

        /** Gradients are scaled so their global L2 norm is at most this; 0 turns clipping off; default 1. */
        public Builder maxGradNorm(double maxGradNorm) {
            if (!(maxGradNorm >= 0) || !Double.isFinite(maxGradNorm)) {
                throw new IllegalArgumentException("maxGradNorm must be zero (off) or positive, was " + maxGradNorm);
            }
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        /** Micro-batches whose gradients are summed before each optimizer step; default 1. */
        public Builder gradientAccumulation(int steps) {
            this.gradientAccumulation = Inputs.positive("gradientAccumulation", steps);
            return this;
        }

        /** Tokens per pair, special tokens included; default the model's limit. */
        public Builder maxLength(int maxLength) {
            this.maxLength = Inputs.positive("maxLength", maxLength);
            return this;
        }

        /** Seeds sampling, shuffling, a fresh head and dropout; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Before each epoch, rank each query's given negatives plus {@link #hardNegativePool(int)}
         * random documents with the current model and train on the highest-ranked ones. Costs an
         * inference pass over those pairs per epoch. A random document the model ranks high may in
         * fact be relevant; curated negatives are safer when the data has them.
         */
        public Builder hardNegatives(boolean hardNegatives) {
            this.hardNegatives = hardNegatives;
            return this;
        }

        /** Random documents added to each query's pool for hard-negative mining; default 30. */
        public Builder hardNegativePool(int documents) {
            if (documents < 0) {
                throw new IllegalArgumentException("hardNegativePool must not be negative, was " + documents);
            }
            this.hardNegativePool = documents;
            return this;
        }

        /** The margin of {@link Loss#MARGIN}; default 1. */
        public Builder margin(double margin) {
            if (!(margin >= 0) || !Double.isFinite(margin)) {
                throw new IllegalArgumentException("margin must be zero or positive, was " + margin);
            }
            this.margin = margin;
            return this;
        }

        /** The cut-off of NDCG@k, MRR@k and Recall@k during evaluation; default 10. */
        public Builder evalK(int k) {
            this.evalK = Inputs.positive("evalK", k);
            return this;
        }

        /** Called after every optimizer step, on the training thread. */
        public Builder progress(Consumer<TrainingProgress> listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public CrossEncoderTrainer build() {
            if (model == null && modelId == null) {
                throw new IllegalStateException("model(...) was not set: pass the starting checkpoint's directory or"
                        + " Hugging Face id");
            }
            return new CrossEncoderTrainer(this);
        }
    }
}
