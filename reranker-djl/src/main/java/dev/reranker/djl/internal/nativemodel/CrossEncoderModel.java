package dev.reranker.djl.internal.nativemodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

import dev.reranker.djl.internal.RowSlices;
import dev.reranker.internal.PaddedBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code BertForSequenceClassification} and {@code XLMRobertaForSequenceClassification} in eval
 * mode, op for op as Hugging Face's modeling code computes them: embeddings (word + position + token
 * type, LayerNorm), post-LayerNorm encoder layers with masked multi-head self-attention, and the
 * classification head on the first token.
 */
final class CrossEncoderModel implements AutoCloseable {

    /** What Hugging Face adds to masked attention scores: the most negative float. */
    private static final float MASKED = -Float.MAX_VALUE;

    private record Dense(NDArray weight, NDArray bias) {
        NDArray apply(NDArray x) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
    }

    private record Norm(NDArray gamma, NDArray beta) {}

    private record Layer(Dense query, Dense key, Dense value, Dense attentionOut, Norm attentionNorm,
            Dense intermediate, Dense output, Norm outputNorm) {}

    private final EncoderConfig config;
    private final NDManager manager;
    private final NDArray wordEmbeddings;
    private final NDArray positionEmbeddings;
    private final NDArray typeEmbeddings;
    private final Norm embeddingNorm;
    private final List<Layer> layers; // in bf16 their matrices are freed: FusedEncoder holds the bf16 copies
    private final Dense pooler; // BERT's pooler, or the RoBERTa head's dense layer
    private final Dense classifier;
    private final FusedEncoder fused; // inference's layers
    private final boolean bf16;
    private final RowSlices slices;
    /** Every tensor under its Hugging Face name without the encoder prefix, in load order. */
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final List<String> freshlyInitialized = new ArrayList<>();
    private Weights weights; // only while loading
    private Random freshHead; // only while loading

    CrossEncoderModel(EncoderConfig config, Weights weights, NDManager manager, boolean bf16) {
        this(config, weights, manager, bf16, null);
    }

    /**
     * @param freshHead where the checkpoint lacks the pooler or classifier (a plain encoder), they
     *     are initialised from this generator as Hugging Face does (normal with
     *     {@code initializer_range}, zero bias); null makes a missing tensor an error
     */
    CrossEncoderModel(EncoderConfig config, Weights weights, NDManager manager, boolean bf16, Random freshHead) {
        this(config, weights, manager, bf16, freshHead, FusedEncoder.Route.preferred());
    }

    /** @param route the layer program inference should run, where it works (else the portable one) */
    CrossEncoderModel(EncoderConfig config, Weights weights, NDManager manager, boolean bf16, Random freshHead,
            FusedEncoder.Route route) {
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.freshHead = freshHead;
        this.bf16 = bf16;
        // Inference never materialises attention scores (FusedEncoder): the largest temporary per
        // row is the feed-forward activation.
        this.slices = RowSlices.packed(config.intermediateSize());
        long h = config.hiddenSize();
        long i = config.intermediateSize();
        wordEmbeddings = tensor(new long[] {config.vocabSize(), h}, "embeddings.word_embeddings.weight");
        positionEmbeddings = tensor(new long[] {config.maxPositions(), h}, "embeddings.position_embeddings.weight");
        typeEmbeddings = tensor(new long[] {config.typeVocabSize(), h}, "embeddings.token_type_embeddings.weight");
        embeddingNorm = norm("embeddings.LayerNorm", h);
        layers = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            layers.add(new Layer(
                    dense(p + "attention.self.query", h, h, false),
                    dense(p + "attention.self.key", h, h, false),
                    dense(p + "attention.self.value", h, h, false),
                    dense(p + "attention.output.dense", h, h, false),
                    norm(p + "attention.output.LayerNorm", h),
                    dense(p + "intermediate.dense", i, h, false),
                    dense(p + "output.dense", h, i, false),
                    norm(p + "output.LayerNorm", h)));
        }
        this.fused = new FusedEncoder(programOrder(layers), config, manager, bf16, route);
        if (config.family() == EncoderConfig.Family.BERT) {
            pooler = dense("pooler.dense", h, h, true);
            classifier = dense("classifier", config.labels(), h, true);
        } else {
            pooler = dense("classifier.dense", h, h, true);
            classifier = dense("classifier.out_proj", config.labels(), h, true);
        }
        this.weights = null;
        this.freshHead = null;
    }

    /** The layer program inference runs. */
    FusedEncoder.Route route() {
        return fused.route();
    }

    /** Each layer's tensors as the layer programs take them (the model's own arrays, for tests). */
    List<NDList> programLayers() {
        return programOrder(layers);
    }

    /** Each layer's tensors in the order of encoder_layer.pt's arguments. */
    private static List<NDList> programOrder(List<Layer> layers) {
        List<NDList> out = new ArrayList<>();
        for (Layer l : layers) {
            out.add(new NDList(l.query().weight(), l.query().bias(), l.key().weight(), l.key().bias(),
                    l.value().weight(), l.value().bias(), l.attentionOut().weight(), l.attentionOut().bias(),
                    l.attentionNorm().gamma(), l.attentionNorm().beta(), l.intermediate().weight(),
                    l.intermediate().bias(), l.output().weight(), l.output().bias(),
                    l.outputNorm().gamma(), l.outputNorm().beta()));
        }
        return out;
    }

    private NDArray tensor(long[] shape, String... names) {
        NDArray tensor = weights.load(shape, names);
        parameters.put(names[0], tensor);
        return tensor;
    }

    /** @param head whether the layer belongs to the head, which a plain encoder lacks */
    private Dense dense(String name, long out, long in, boolean head) {
        if (head && freshHead != null && !weights.has(name + ".weight")) {
            // As Hugging Face's _init_weights: normal(0, initializer_range) weights, zero bias.
            float[] values = new float[Math.toIntExact(out * in)];
            for (int v = 0; v < values.length; v++) {
                values[v] = (float) (freshHead.nextGaussian() * config.initializerRange());
            }
            NDArray weight = manager.create(values, new Shape(out, in));
            NDArray bias = manager.zeros(new Shape(out));
            parameters.put(name + ".weight", weight);
            parameters.put(name + ".bias", bias);
            freshlyInitialized.add(name + ".weight");
            freshlyInitialized.add(name + ".bias");
            return new Dense(weight, bias);
        }
        return new Dense(tensor(new long[] {out, in}, name + ".weight"), tensor(new long[] {out}, name + ".bias"));
    }

    private Norm norm(String name, long h) {
        return new Norm(tensor(new long[] {h}, name + ".weight", name + ".gamma"),
                tensor(new long[] {h}, name + ".bias", name + ".beta"));
    }

    /**
     * The model's tensors by Hugging Face name without the {@code bert.} / {@code roberta.} prefix
     * ({@code embeddings.word_embeddings.weight}, ..., {@code classifier.weight}); training updates
     * them in place.
     */
    Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Head tensors the checkpoint lacked, initialised fresh. */
    List<String> freshlyInitialized() {
        return List.copyOf(freshlyInitialized);
    }

    EncoderConfig config() {
        return config;
    }

    /** Runs one batch, in slices of rows that keep every temporary small (see {@link RowSlices}). */
    float[][] logits(PaddedBatch batch) {
        return slices.run(batch, this::sliceLogits);
    }

    /**
     * Runs rows of one batch; every array it makes is freed before this returns, by the
     * {@code NDScope} that registers them. Not by a sub-manager per batch as well: making and closing
     * one inlines some 180 calls into this path, which the JIT compiles after about 13,000 pairs;
     * that doubled the compilation (22.7 MB against 9.7 on minilm-l6, measured with JDK 25's
     * {@code -XX:CompileCommand=MemStat}), and the compiler's thread keeps the pages of its largest
     * compilation under the library's malloc settings (see {@code NativeMemory}).
     */
    private float[][] sliceLogits(PaddedBatch batch) {
        int rows = batch.rows();
        try (NDScope ignored = new NDScope()) {
            NDArray logits = packedForward(batch);
            float[] flat = logits.toType(DataType.FLOAT32, false).toFloatArray();
            int labels = config.labels();
            float[][] out = new float[rows][labels];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(flat, r * labels, out[r], 0, labels);
            }
            return out;
        }
    }

    /**
     * The logits of a batch, {@code rows x labels}, created in {@code scope}. With {@code dropout}
     * (training) the rates apply where Hugging Face's modules apply them; the arrays of every step
     * stay reachable from the result for a backward pass, whose graph holds what it needs.
     *
     * <p>This is the differentiable path: its layers are DJL operations, which autograd follows.
     * Inference runs the layers through {@link FusedEncoder} instead.
     *
     * @param dropout null for none
     */
    NDArray forward(NDManager scope, PaddedBatch batch, EncoderConfig.Dropout dropout) {
        if (bf16) {
            throw new IllegalStateException("a bf16 model has no differentiable path: its fp32 matrices are freed");
        }
        int rows = batch.rows();
        int length = batch.length();
        Shape shape = new Shape(rows, length);
        NDArray ids = scope.create(batch.inputIds(), shape);
        NDArray positions = scope.create(positionIds(batch), shape);
        NDArray types = scope.create(batch.tokenTypeIds(), shape);

        NDArray x = drop(embeddings(ids, positions, types), dropout == null ? 0 : dropout.hidden());
        NDArray maskBias = scope.create(maskBias(batch), new Shape(rows, 1, 1, length));
        for (Layer layer : layers) {
            NDArray next = layer(layer, x, maskBias, rows, length, dropout);
            x.close();
            x = next;
        }
        return head(x.get(":, 0, :"), dropout);
    }

    /**
     * Inference: the logits of a batch, {@code rows x labels}, made on the model's manager like every
     * array on the way (the caller's {@code NDScope} frees them). The batch is packed without its
     * padding, [real tokens, H], and the layers run in {@link FusedEncoder}; neither the matrix
     * multiplies nor attention spend any work on padding.
     */
    private NDArray packedForward(PaddedBatch batch) {
        int rows = batch.rows();
        int length = batch.length();
        long[] mask = batch.attentionMask();
        long[] lengths = new long[rows];
        int tokens = 0;
        for (int r = 0; r < rows; r++) {
            lengths[r] = batch.realTokens(r);
            tokens += (int) lengths[r];
        }
        long[] ids = batch.inputIds();
        long[] types = batch.tokenTypeIds();
        long[] positions = positionIds(batch);
        int filler = packedSize(tokens) - tokens;
        long[] packedIds = new long[tokens + filler];
        long[] packedTypes = new long[tokens + filler];
        long[] packedPositions = new long[tokens + filler];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < lengths[r]; t++) {
                int at = r * length + t;
                if (mask[at] != 1) {
                    throw new IllegalStateException("row " + r + " of the batch has padding before its last token");
                }
                packedIds[k] = ids[at];
                packedTypes[k] = types[at];
                packedPositions[k] = positions[at];
                k++;
            }
        }
        if (filler > 0) {
            // A row of copies of the first token, which no real row attends to; its output is unused.
            Arrays.fill(packedIds, tokens, tokens + filler, packedIds[0]);
            Arrays.fill(packedPositions, tokens, tokens + filler, packedPositions[0]);
            lengths = Arrays.copyOf(lengths, rows + 1);
            lengths[rows] = filler;
        }
        NDArray first = fused.encode( // each row's first token: [rows (+ the filler), H]
                embeddings(manager.create(packedIds), manager.create(packedPositions), manager.create(packedTypes)),
                manager.create(lengths), true);
        return head(filler > 0 ? first.get("0:" + rows) : first, null);
    }

    /** Word + position + token-type embeddings, then LayerNorm; ids of any shape. */
    private NDArray embeddings(NDArray ids, NDArray positions, NDArray types) {
        NDArray sum = embed(ids, wordEmbeddings)
                .add(embed(positions, positionEmbeddings))
                .add(embed(types, typeEmbeddings));
        return layerNorm(sum, embeddingNorm);
    }

    /**
     * The packed batch's token count, rounded up to one of about 32 sizes per doubling (at most 3%
     * more). Exact counts are nearly all different, and libtorch keeps per-shape state (oneDNN
     * kernels and the allocator's blocks), which grew native memory by over 200 MB in 45,000 pairs
     * of short documents; a bounded set of shapes keeps it flat.
     */
    static int packedSize(int tokens) {
        int step = Math.max(8, Integer.highestOneBit(tokens) / 32);
        return (tokens + step - 1) / step * step;
    }

    /** The classification head on each row's first token ({@code [CLS]} / {@code <s>}). */
    private NDArray head(NDArray first, EncoderConfig.Dropout dropout) {
        if (config.family() == EncoderConfig.Family.BERT) {
            NDArray pooled = Activation.tanh(pooler.apply(first));
            return classifier.apply(drop(pooled, dropout == null ? 0 : dropout.classifier()));
        }
        float rate = dropout == null ? 0 : dropout.classifier();
        NDArray dense = Activation.tanh(pooler.apply(drop(first, rate)));
        return classifier.apply(drop(dense, rate));
    }

    private static NDArray drop(NDArray x, float rate) {
        return rate == 0 ? x : Dropout.dropout(x, rate, true).singletonOrThrow();
    }

    private NDArray layer(Layer layer, NDArray x, NDArray maskBias, int rows, int length,
            EncoderConfig.Dropout dropout) {
        float hiddenRate = dropout == null ? 0 : dropout.hidden();
        int heads = config.heads();
        int headSize = config.headSize();
        try (NDScope scope = new NDScope()) {
            // Scaling q instead of the scores, adding the mask in place and freeing each
            // [B, heads, T, T] tensor as soon as it is used keeps attention to two passes over the
            // largest tensors of the layer instead of four (it is memory-bound at long lengths).
            NDArray q = splitHeads(layer.query().apply(x).muli(1 / Math.sqrt(headSize)), rows, length, heads, headSize);
            NDArray k = splitHeads(layer.key().apply(x), rows, length, heads, headSize);
            NDArray v = splitHeads(layer.value().apply(x), rows, length, heads, headSize);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).addi(maskBias);
            NDArray probabilities = drop(scores.softmax(-1), dropout == null ? 0 : dropout.attention());
            scores.close();
            NDArray attention = probabilities.matMul(v);
            probabilities.close();
            NDArray context = attention.transpose(0, 2, 1, 3).reshape(rows, length, (long) heads * headSize);
            NDArray attended = layerNorm(drop(layer.attentionOut().apply(context), hiddenRate).add(x),
                    layer.attentionNorm());
            NDArray hidden = activation(layer.intermediate().apply(attended));
            NDArray out = layerNorm(drop(layer.output().apply(hidden), hiddenRate).add(attended), layer.outputNorm());
            NDScope.unregister(out);
            return out;
        }
    }

    private static NDArray splitHeads(NDArray x, int rows, int length, int heads, int headSize) {
        return x.reshape(rows, length, heads, headSize).transpose(0, 2, 1, 3);
    }

    private NDArray layerNorm(NDArray x, Norm norm) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), norm.gamma(), norm.beta(), config.layerNormEps())
                .singletonOrThrow();
    }

    private static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray activation(NDArray x) {
        switch (config.activation()) {
            case "relu":
                return Activation.relu(x);
            case "gelu_new":
            case "gelu_pytorch_tanh":
                // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
                NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
                return x.mul(0.5f).mul(inner.tanh().add(1f));
            default:
                return Activation.gelu(x); // the exact, erf-based GELU of "gelu"
        }
    }

    /**
     * Position ids as Hugging Face makes them: 0, 1, 2... for BERT; for the RoBERTa family a running
     * count of non-padding tokens offset by {@code padding_idx}, with padding itself at
     * {@code padding_idx}.
     */
    private long[] positionIds(PaddedBatch batch) {
        long[] ids = batch.inputIds();
        long[] positions = new long[ids.length];
        int pad = config.padTokenId();
        for (int r = 0; r < batch.rows(); r++) {
            long count = 0;
            for (int t = 0; t < batch.length(); t++) {
                int at = r * batch.length() + t;
                if (config.family() == EncoderConfig.Family.BERT) {
                    positions[at] = t;
                } else if (ids[at] != pad) {
                    positions[at] = ++count + pad;
                } else {
                    positions[at] = pad;
                }
            }
        }
        return positions;
    }

    private static float[] maskBias(PaddedBatch batch) {
        long[] mask = batch.attentionMask();
        float[] bias = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            bias[i] = mask[i] == 1 ? 0f : MASKED;
        }
        return bias;
    }

    @Override
    public void close() {
        fused.close();
        manager.close();
    }
}
