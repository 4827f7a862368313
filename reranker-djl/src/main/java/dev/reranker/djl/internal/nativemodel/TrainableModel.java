package dev.reranker.djl.internal.nativemodel;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.reranker.RerankerException;
import dev.reranker.djl.internal.Engines;
import dev.reranker.djl.train.Loss;
import dev.reranker.internal.PaddedBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A checkpoint loaded for training: the native forward pass with dropout, a loss over groups of
 * pairs (each group's first pair is the positive), backward through libtorch's autograd, and AdamW
 * (decoupled weight decay, bias-corrected moments) with global gradient-norm clipping.
 *
 * <p>Single-threaded: one training loop owns it. Gradients accumulate over {@link #accumulate}
 * calls until {@link #update} applies and clears them.
 */
public final class TrainableModel implements AutoCloseable {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final CrossEncoderModel model;
    private final EncoderConfig config;
    private final JsonObject sourceConfig;
    private final NDManager manager;
    private final NDManager optimizerState;
    private final List<String> names;
    private final List<NDArray> parameters;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private final float[] decay; // 1 where weight decay applies, 0 for biases and LayerNorm
    private int updates;

    private TrainableModel(CrossEncoderModel model, JsonObject sourceConfig, NDManager manager) {
        this.model = model;
        this.config = model.config();
        this.sourceConfig = sourceConfig;
        this.manager = manager;
        this.optimizerState = manager.newSubManager();
        this.names = new ArrayList<>(model.parameters().keySet());
        this.parameters = new ArrayList<>(model.parameters().values());
        this.decay = new float[names.size()];
        for (int i = 0; i < names.size(); i++) {
            NDArray p = parameters.get(i);
            p.setRequiresGradient(true);
            means.add(optimizerState.zeros(p.getShape(), DataType.FLOAT32));
            variances.add(optimizerState.zeros(p.getShape(), DataType.FLOAT32));
            // As Hugging Face's Trainer and FlagEmbedding: no decay on biases and LayerNorm weights.
            String name = names.get(i);
            decay[i] = name.endsWith(".bias") || name.contains("LayerNorm") ? 0f : 1f;
        }
    }

    /**
     * Loads a checkpoint (a cross-encoder, or a plain encoder whose head is initialised fresh from
     * {@code seed}) in fp32 for training.
     */
    public static TrainableModel load(Path directory, JsonObject config, Device device, long seed) {
        if (!Weights.present(directory)) {
            if (Files.isRegularFile(directory.resolve("model.pt"))) {
                throw new RerankerException(directory + " has only a TorchScript model.pt, which cannot be trained;"
                        + " training starts from a Hugging Face checkpoint (config.json, model.safetensors)");
            }
            throw Weights.missingWeights(directory);
        }
        Path configFile = directory.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new RerankerException(configFile + " does not exist; training starts from a Hugging Face checkpoint"
                    + " directory (config.json, model.safetensors, tokenizer.json)");
        }
        EncoderConfig encoder = EncoderConfig.from(config, configFile, true);
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(Long.hashCode(seed)); // dropout's generator
        NDManager manager = engine.newBaseManager(device);
        try (Weights weights = Weights.open(directory, manager)) {
            CrossEncoderModel model = new CrossEncoderModel(encoder, weights, manager, false, new Random(seed));
            return new TrainableModel(model, config, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    CrossEncoderModel model() {
        return model;
    }

    /** Head tensors the checkpoint lacked and that were initialised fresh (empty for a cross-encoder). */
    public List<String> freshlyInitialized() {
        return model.freshlyInitialized();
    }

    /** Logits for scoring, without dropout and without recording a graph. */
    public float[][] logits(PaddedBatch batch) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return model.logits(batch);
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    /**
     * Runs one micro-batch forward with dropout and backward, adding {@code weight × ∂loss} to the
     * gradients.
     *
     * @param batch {@code groups × groupSize} pairs, group by group, each group's positive first
     * @param weight the micro-batch's share of the step (1 / gradient accumulation)
     * @return the loss of this micro-batch (mean over its groups)
     */
    public float accumulate(PaddedBatch batch, int groupSize, Loss objective, float margin, float weight) {
        if (batch.rows() % groupSize != 0) {
            throw new IllegalArgumentException(batch.rows() + " rows are not whole groups of " + groupSize);
        }
        int groups = batch.rows() / groupSize;
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engines.pytorch().newGradientCollector()) {
            NDArray logits = model.forward(step, batch, config.dropout());
            NDArray relevance = relevance(logits).reshape(groups, groupSize);
            NDArray loss = loss(relevance, objective, margin);
            float value = loss.getFloat();
            if (!Float.isFinite(value)) {
                throw new RerankerException("the training loss became " + value + "; lower the learning rate");
            }
            collector.backward(weight == 1f ? loss : loss.mul(weight));
            return value;
        }
    }

    /** The relevance logit: the single logit, or for two labels the relevant one minus the other. */
    private NDArray relevance(NDArray logits) {
        if (config.labels() == 1) {
            return logits.squeeze(1);
        }
        return logits.get(":, 1").sub(logits.get(":, 0"));
    }

    static NDArray loss(NDArray relevance, Loss objective, float margin) {
        switch (objective) {
            case LISTWISE:
                // Softmax cross-entropy with the positive as the target class (FlagReranker's loss).
                return relevance.logSoftmax(1).get(":, 0").neg().mean();
            case MARGIN: {
                // max(0, margin - (positive - negative)), averaged over every (positive, negative) pair.
                NDArray positive = relevance.get(":, 0:1");
                NDArray negatives = relevance.get(":, 1:");
                return negatives.sub(positive).add(margin).maximum(0f).mean();
            }
            case BCE: {
                // Binary cross-entropy with logits, stable form: max(r, 0) - r y + log(1 + exp(-|r|)).
                NDArray labels = relevance.zerosLike();
                labels.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 1f);
                return relevance.maximum(0f).sub(relevance.mul(labels))
                        .add(relevance.abs().neg().exp().add(1f).log()).mean();
            }
            default:
                throw new IllegalArgumentException("objective " + objective);
        }
    }

    /**
     * Applies the accumulated gradients with AdamW and clears them.
     *
     * @param maxGradNorm the gradients are scaled down so their global L2 norm is at most this; 0 to
     *     not clip
     * @return the global gradient norm before clipping
     */
    public double update(float learningRate, float weightDecay, float maxGradNorm) {
        List<NDArray> gradients = new ArrayList<>(parameters.size());
        try {
            double squares = 0;
            for (NDArray p : parameters) {
                NDArray g = p.getGradient();
                gradients.add(g);
                // Closed at once: they would otherwise live as long as the model's manager.
                try (NDArray square = g.square(); NDArray sum = square.sum()) {
                    squares += sum.getFloat();
                }
            }
            double norm = Math.sqrt(squares);
            if (!Double.isFinite(norm)) {
                throw new RerankerException("the gradients became " + norm + "; lower the learning rate");
            }
            float rescale = maxGradNorm > 0 && norm > maxGradNorm ? (float) (maxGradNorm / (norm + 1e-6)) : 1f;
            updates++;
            double corrected = learningRate * Math.sqrt(1 - Math.pow(BETA2, updates)) / (1 - Math.pow(BETA1, updates));
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                p.getNDArrayInternal().adamUpdate(
                        new NDList(p, gradients.get(i), means.get(i), variances.get(i)), new NDList(p),
                        learningRate, (float) corrected, weightDecay * decay[i], rescale, -1f,
                        BETA1, BETA2, EPSILON, false, true);
            }
            return norm;
        } finally {
            gradients.forEach(NDArray::close);
        }
    }

    /** Arrays alive in the model's managers; for tests that check a step frees what it makes. */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** Clears accumulated gradients without applying them. */
    public void zeroGradients() {
        for (NDArray p : parameters) {
            try (NDArray g = p.getGradient()) {
                g.subi(g);
            }
        }
    }

    /**
     * Writes a Hugging Face checkpoint: {@code config.json} naming the sequence-classification
     * architecture and its labels, and {@code model.safetensors} in fp32 with Hugging Face's tensor
     * names. The tokenizer files are the caller's to copy.
     */
    public void save(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new RerankerException("could not create " + directory + ": " + e.getMessage(), e);
        }
        String prefix = config.family() == EncoderConfig.Family.BERT ? "bert." : "roberta.";
        SafetensorsWriter writer = new SafetensorsWriter();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            NDArray p = parameters.get(i);
            writer.put(name.startsWith("classifier") ? name : prefix + name, p.toFloatArray(),
                    p.getShape().getShape(), SafetensorsWriter.Dtype.F32);
        }
        writer.write(directory.resolve(Weights.SINGLE));
        writeString(directory.resolve("config.json"), checkpointConfig().toString());
    }

    /** The source's config.json with the architecture and labels of what was trained. */
    JsonObject checkpointConfig() {
        JsonObject out = sourceConfig.deepCopy();
        String type = out.has("model_type") ? out.get("model_type").getAsString().toLowerCase(Locale.ROOT)
                : config.family() == EncoderConfig.Family.BERT ? "bert" : "xlm-roberta";
        out.addProperty("model_type", type);
        JsonArray architectures = new JsonArray();
        architectures.add(switch (type) {
            case "bert" -> "BertForSequenceClassification";
            case "roberta" -> "RobertaForSequenceClassification";
            case "camembert" -> "CamembertForSequenceClassification";
            default -> "XLMRobertaForSequenceClassification";
        });
        out.add("architectures", architectures);
        int labels = config.labels();
        if (config.headless() || !out.has("id2label") || out.getAsJsonObject("id2label").size() != labels) {
            JsonObject id2label = new JsonObject();
            JsonObject label2id = new JsonObject();
            for (int i = 0; i < labels; i++) {
                id2label.addProperty(String.valueOf(i), "LABEL_" + i);
                label2id.addProperty("LABEL_" + i, i);
            }
            out.add("id2label", id2label);
            out.add("label2id", label2id);
        }
        out.addProperty("num_labels", labels);
        return out;
    }

    private static void writeString(Path file, String text) {
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new RerankerException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The tensors by Hugging Face name (without the encoder prefix), as float arrays; for tests. */
    Map<String, float[]> snapshot() {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), parameters.get(i).toFloatArray());
        }
        return out;
    }

    @Override
    public void close() {
        optimizerState.close();
        model.close();
    }
}
