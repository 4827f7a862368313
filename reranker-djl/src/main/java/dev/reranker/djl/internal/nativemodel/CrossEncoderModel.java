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
import ai.djl.nn.norm.LayerNorm;

import dev.reranker.djl.internal.RowSlices;
import dev.reranker.internal.PaddedBatch;

import java.util.ArrayList;
import java.util.List;

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
    private final List<Layer> layers; // in bf16 their matrices are freed: Bf16Encoder holds the bf16 copies
    private final Dense pooler; // BERT's pooler, or the RoBERTa head's dense layer
    private final Dense classifier;
    private final Bf16Encoder bf16; // null in fp32
    private final RowSlices slices;

    CrossEncoderModel(EncoderConfig config, Weights weights, NDManager manager, boolean bf16) {
        this.config = config;
        this.manager = manager;
        this.slices = new RowSlices(config.heads(), config.intermediateSize());
        long h = config.hiddenSize();
        long i = config.intermediateSize();
        wordEmbeddings = weights.load(new long[] {config.vocabSize(), h}, "embeddings.word_embeddings.weight");
        positionEmbeddings = weights.load(new long[] {config.maxPositions(), h}, "embeddings.position_embeddings.weight");
        typeEmbeddings = weights.load(new long[] {config.typeVocabSize(), h}, "embeddings.token_type_embeddings.weight");
        embeddingNorm = norm(weights, "embeddings.LayerNorm", h);
        layers = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            layers.add(new Layer(
                    dense(weights, p + "attention.self.query", h, h),
                    dense(weights, p + "attention.self.key", h, h),
                    dense(weights, p + "attention.self.value", h, h),
                    dense(weights, p + "attention.output.dense", h, h),
                    norm(weights, p + "attention.output.LayerNorm", h),
                    dense(weights, p + "intermediate.dense", i, h),
                    dense(weights, p + "output.dense", h, i),
                    norm(weights, p + "output.LayerNorm", h)));
        }
        this.bf16 = bf16 ? new Bf16Encoder(bf16Order(layers), config, manager, manager.getDevice()) : null;
        if (config.family() == EncoderConfig.Family.BERT) {
            pooler = dense(weights, "pooler.dense", h, h);
            classifier = dense(weights, "classifier", config.labels(), h);
        } else {
            pooler = dense(weights, "classifier.dense", h, h);
            classifier = dense(weights, "classifier.out_proj", config.labels(), h);
        }
    }

    /** Each layer's tensors in the order of bf16_layer.pt's arguments. */
    private static List<NDList> bf16Order(List<Layer> layers) {
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

    private static Dense dense(Weights weights, String name, long out, long in) {
        return new Dense(weights.load(new long[] {out, in}, name + ".weight"),
                weights.load(new long[] {out}, name + ".bias"));
    }

    private static Norm norm(Weights weights, String name, long h) {
        return new Norm(weights.load(new long[] {h}, name + ".weight", name + ".gamma"),
                weights.load(new long[] {h}, name + ".bias", name + ".beta"));
    }

    EncoderConfig config() {
        return config;
    }

    /** Runs one batch, in slices of rows that keep every temporary small (see {@link RowSlices}). */
    float[][] logits(PaddedBatch batch) {
        return slices.run(batch, this::sliceLogits);
    }

    /** Runs rows of one batch; every intermediate array is freed before this returns. */
    private float[][] sliceLogits(PaddedBatch batch) {
        int rows = batch.rows();
        int length = batch.length();
        Shape shape = new Shape(rows, length);
        try (NDManager scope = manager.newSubManager(); NDScope ignored = new NDScope()) {
            NDArray ids = scope.create(batch.inputIds(), shape);
            NDArray positions = scope.create(positionIds(batch), shape);
            NDArray types = scope.create(batch.tokenTypeIds(), shape);
            NDArray maskBias = scope.create(maskBias(batch), new Shape(rows, 1, 1, length));

            NDArray x = embed(ids, wordEmbeddings)
                    .add(embed(positions, positionEmbeddings))
                    .add(embed(types, typeEmbeddings));
            x = layerNorm(x, embeddingNorm);
            if (bf16 != null) {
                x = bf16.encode(x, maskBias);
            } else {
                for (Layer layer : layers) {
                    NDArray next = layer(layer, x, maskBias, rows, length);
                    x.close();
                    x = next;
                }
            }
            NDArray first = x.get(":, 0, :");
            NDArray logits = classifier.apply(Activation.tanh(pooler.apply(first)));
            float[] flat = logits.toType(DataType.FLOAT32, false).toFloatArray();
            int labels = config.labels();
            float[][] out = new float[rows][labels];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(flat, r * labels, out[r], 0, labels);
            }
            return out;
        }
    }

    private NDArray layer(Layer layer, NDArray x, NDArray maskBias, int rows, int length) {
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
            NDArray probabilities = scores.softmax(-1);
            scores.close();
            NDArray attention = probabilities.matMul(v);
            probabilities.close();
            NDArray context = attention.transpose(0, 2, 1, 3).reshape(rows, length, (long) heads * headSize);
            NDArray attended = layerNorm(layer.attentionOut().apply(context).add(x), layer.attentionNorm());
            NDArray hidden = activation(layer.intermediate().apply(attended));
            NDArray out = layerNorm(layer.output().apply(hidden).add(attended), layer.outputNorm());
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
        if (bf16 != null) {
            bf16.close();
        }
        manager.close();
    }
}
