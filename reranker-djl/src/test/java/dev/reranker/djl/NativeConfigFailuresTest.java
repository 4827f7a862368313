package dev.reranker.djl;

import static dev.reranker.djl.Fixtures.assertMentions;
import static dev.reranker.djl.Fixtures.buildFails;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints the native backend cannot run are refused at build with a message that names what is
 * wrong and what is supported, instead of loading and scoring nonsense.
 */
final class NativeConfigFailuresTest {

    @TempDir
    Path temp;


    /** tiny-bert with its config.json edited. */
    private Path withConfig(Consumer<JsonObject> edit) throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT, temp.resolve("m"));
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json")))
                .getAsJsonObject();
        edit.accept(config);
        Files.writeString(dir.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(config));
        return dir;
    }

    @Test
    void build_onlyPytorchModelBin_saysSafetensorsIsNeededAndHowToMakeIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT, temp.resolve("m"));
        Files.move(dir.resolve("model.safetensors"), dir.resolve("pytorch_model.bin"));
        RerankerException e = buildFails(dir);
        assertMentions(e, dir.toString(), "pytorch_model.bin", "safetensors", "save_pretrained(", "safe_serialization=True");
    }

    @Test
    void build_noWeightsAtAll_namesTheFilesLookedFor() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT, temp.resolve("m"));
        Files.delete(dir.resolve("model.safetensors"));
        assertMentions(buildFails(dir), dir.toString(), "model.safetensors", "model.safetensors.index.json", "model.pt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Qwen3ForSequenceClassification", "ModernBertForSequenceClassification",
        "BertForMaskedLM", "DistilBertForSequenceClassification"})
    void build_unsupportedArchitecture_namesItAndTheSupportedOnes(String architecture) throws IOException {
        Path dir = withConfig(c -> {
            JsonArray architectures = new JsonArray();
            architectures.add(architecture);
            c.add("architectures", architectures);
        });
        assertMentions(buildFails(dir), "config.json", architecture, "not support",
                "BertForSequenceClassification", "XLMRobertaForSequenceClassification");
    }

    @Test
    void build_unsupportedModelTypeWithoutArchitectures_namesIt() throws IOException {
        Path dir = withConfig(c -> {
            c.remove("architectures");
            c.addProperty("model_type", "qwen3");
        });
        assertMentions(buildFails(dir), "qwen3", "BertForSequenceClassification");
    }

    @Test
    void build_relativePositionEmbeddings_areNotSupported() throws IOException {
        Path dir = withConfig(c -> c.addProperty("position_embedding_type", "relative_key"));
        assertMentions(buildFails(dir), "config.json", "position_embedding_type", "relative_key", "not supported",
                "absolute");
    }

    @Test
    void build_swishActivation_isNotSupported() throws IOException {
        Path dir = withConfig(c -> c.addProperty("hidden_act", "swish"));
        assertMentions(buildFails(dir), "config.json", "hidden_act", "swish", "not supported", "gelu");
    }

    @Test
    void build_threeLabels_isRefused() throws IOException {
        Path dir = withConfig(c -> c.addProperty("num_labels", 3));
        assertMentions(buildFails(dir), "config.json", "3 labels");
    }

    @Test
    void build_threeLabelsOnlyInId2label_isRefused() throws IOException {
        Path dir = withConfig(c -> {
            JsonObject labels = new JsonObject();
            labels.addProperty("0", "a");
            labels.addProperty("1", "b");
            labels.addProperty("2", "c");
            c.add("id2label", labels);
        });
        assertMentions(buildFails(dir), "3 labels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hidden_size", "num_attention_heads", "num_hidden_layers", "intermediate_size", "vocab_size",
        "max_position_embeddings"})
    void build_configWithoutARequiredKey_namesIt(String key) throws IOException {
        Path dir = withConfig(c -> c.remove(key));
        assertMentions(buildFails(dir), "config.json", key);
    }

    @Test
    void build_headsNotDividingHiddenSize_isRefused() throws IOException {
        Path dir = withConfig(c -> c.addProperty("num_attention_heads", 5));
        assertMentions(buildFails(dir), "hidden_size 32", "num_attention_heads 5");
    }

    @Test
    void build_configDisagreeingWithTheWeights_namesTheTensorAndBothShapes() throws IOException {
        Path dir = withConfig(c -> c.addProperty("intermediate_size", 48));
        assertMentions(buildFails(dir), "encoder.layer.0.intermediate.dense.weight", "[64, 32]", "[48, 32]");
    }

    @Test
    void build_withoutConfigJson_saysTheNativeBackendNeedsIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT, temp.resolve("m"));
        Files.delete(dir.resolve("config.json"));
        RerankerException e = assertThrows(RerankerException.class,
                () -> DjlReranker.builder().model(dir).maxLength(64).build());
        assertMentions(e, dir.resolve("config.json").toString(), "does not exist");
    }
}
