package dev.reranker.djl.internal.nativemodel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.reranker.RerankerException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code config.json} fields the native BERT / XLM-RoBERTa forward pass needs, checked. */
record EncoderConfig(
        Family family,
        int hiddenSize,
        int layers,
        int heads,
        int intermediateSize,
        String activation,
        float layerNormEps,
        int maxPositions,
        int typeVocabSize,
        int vocabSize,
        int padTokenId,
        int labels,
        boolean headless,
        Dropout dropout,
        float initializerRange) {

    /** Dropout rates for training, from {@code config.json} (Hugging Face's defaults when absent). */
    record Dropout(float hidden, float attention, float classifier) {
        static final Dropout NONE = new Dropout(0, 0, 0);
    }

    /** BERT: pooler + classifier. RoBERTa family: dense + tanh + out_proj, positions offset by padding_idx + 1. */
    enum Family { BERT, ROBERTA }

    static final String SUPPORTED = "BertForSequenceClassification, XLMRobertaForSequenceClassification and "
            + "RobertaForSequenceClassification (model_type bert, xlm-roberta, roberta, camembert)";
    /** Plain encoders training accepts, with a fresh head. */
    private static final Map<String, Family> HEADLESS = Map.of(
            "BertModel", Family.BERT, "XLMRobertaModel", Family.ROBERTA, "RobertaModel", Family.ROBERTA);
    private static final Set<String> ACTIVATIONS = Set.of("gelu", "gelu_new", "gelu_pytorch_tanh", "relu");

    /** Whether {@link #from} would take this configuration's architecture. */
    static boolean supportsArchitecture(JsonObject config) {
        try {
            family(architecture(config), text(config, "model_type", "").toLowerCase(Locale.ROOT), Path.of("config.json"));
            return true;
        } catch (RerankerException e) {
            return false;
        }
    }

    static EncoderConfig from(JsonObject config, Path file) {
        return from(config, file, false);
    }

    /**
     * @param allowHeadless whether a plain encoder ({@code BertModel}, {@code XLMRobertaModel},
     *     {@code RobertaModel}) is accepted: training gives it a fresh classification head with one label
     */
    static EncoderConfig from(JsonObject config, Path file, boolean allowHeadless) {
        String architecture = architecture(config);
        String modelType = text(config, "model_type", "").toLowerCase(Locale.ROOT);
        boolean headless = allowHeadless && architecture != null && HEADLESS.containsKey(architecture);
        Family family = headless ? HEADLESS.get(architecture) : family(architecture, modelType, file);
        String positions = text(config, "position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw new RerankerException(file + ": position_embedding_type \"" + positions
                    + "\" is not supported; only \"absolute\" is");
        }
        String activation = text(config, "hidden_act", "gelu");
        if (!ACTIVATIONS.contains(activation)) {
            throw new RerankerException(file + ": hidden_act \"" + activation + "\" is not supported; use one of "
                    + ACTIVATIONS);
        }
        int hidden = integer(config, "hidden_size", file);
        int heads = integer(config, "num_attention_heads", file);
        if (heads <= 0 || hidden % heads != 0) {
            throw new RerankerException(file + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        int labels = headless ? 1 : labels(config);
        if (labels < 1 || labels > 2) {
            throw new RerankerException(file + " gives the model " + labels
                    + " labels; a reranker has 1 (a relevance logit) or 2 (irrelevant, relevant)");
        }
        return new EncoderConfig(
                family, hidden, integer(config, "num_hidden_layers", file), heads,
                integer(config, "intermediate_size", file), activation,
                (float) number(config, "layer_norm_eps", 1e-12), // BertConfig's and XLMRobertaConfig's default
                integer(config, "max_position_embeddings", file),
                (int) number(config, "type_vocab_size", 2),
                integer(config, "vocab_size", file),
                (int) number(config, "pad_token_id", family == Family.BERT ? 0 : 1),
                labels,
                headless,
                dropout(config),
                (float) number(config, "initializer_range", 0.02));
    }

    private static Dropout dropout(JsonObject config) {
        float hidden = (float) number(config, "hidden_dropout_prob", 0.1);
        return new Dropout(hidden, (float) number(config, "attention_probs_dropout_prob", 0.1),
                (float) number(config, "classifier_dropout", hidden));
    }


    int headSize() {
        return hiddenSize / heads;
    }

    private static String architecture(JsonObject config) {
        JsonElement architectures = config.get("architectures");
        if (architectures != null && architectures.isJsonArray() && ((JsonArray) architectures).size() > 0) {
            return architectures.getAsJsonArray().get(0).getAsString();
        }
        return null;
    }

    private static Family family(String architecture, String modelType, Path file) {
        if (architecture != null) {
            switch (architecture) {
                case "BertForSequenceClassification":
                    return Family.BERT;
                case "XLMRobertaForSequenceClassification":
                case "RobertaForSequenceClassification":
                case "CamembertForSequenceClassification":
                    return Family.ROBERTA;
                default:
                    throw new RerankerException(file + " describes a " + architecture + ", which the native backend"
                            + " does not support; it supports " + SUPPORTED + ". A TorchScript export (model.pt) of"
                            + " the model runs with backend(Backend.TORCHSCRIPT)");
            }
        }
        switch (modelType) {
            case "bert":
                return Family.BERT;
            case "xlm-roberta":
            case "roberta":
            case "camembert":
                return Family.ROBERTA;
            default:
                throw new RerankerException(file + " describes model_type \"" + modelType + "\", which the native"
                        + " backend does not support; it supports " + SUPPORTED);
        }
    }

    private static int labels(JsonObject config) {
        JsonElement n = config.get("num_labels");
        if (n != null && n.isJsonPrimitive()) {
            return n.getAsInt();
        }
        JsonElement id2label = config.get("id2label");
        return id2label != null && id2label.isJsonObject() ? id2label.getAsJsonObject().size() : 2;
    }

    private static String text(JsonObject config, String key, String otherwise) {
        JsonElement value = config.get(key);
        return value == null || value.isJsonNull() ? otherwise : value.getAsString();
    }

    private static double number(JsonObject config, String key, double otherwise) {
        JsonElement value = config.get(key);
        return value == null || value.isJsonNull() ? otherwise : value.getAsDouble();
    }

    private static int integer(JsonObject config, String key, Path file) {
        JsonElement value = config.get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new RerankerException(file + " has no " + key + "; it is needed to build the model");
        }
        return value.getAsInt();
    }
}
