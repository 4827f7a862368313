package dev.reranker.djl;

import static dev.reranker.djl.Fixtures.assertMentions;
import static dev.reranker.djl.Fixtures.buildFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a build can go wrong gives one clear error that names the file or the setting. */
final class BuildFailuresTest {

    @TempDir
    Path temp;


    @Test
    void build_missingDirectory_namesIt() {
        Path missing = temp.resolve("no-such-model");
        assertMentions(buildFails(missing), missing.toString(), "does not exist");
    }

    @Test
    void build_missingModelPt_namesIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("m"));
        Files.delete(dir.resolve("model.pt"));
        assertMentions(buildFails(dir), "model.pt", dir.toString());
    }

    @Test
    void build_missingTokenizerJson_namesIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("m"));
        Files.delete(dir.resolve("tokenizer.json"));
        assertMentions(buildFails(dir), "tokenizer.json", dir.toString());
    }

    @Test
    void build_corruptModelPt_namesIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("m"));
        Files.writeString(dir.resolve("model.pt"), "this is not a TorchScript archive");
        assertMentions(buildFails(dir), "model.pt", "TorchScript");
    }

    @Test
    void build_truncatedModelPt_namesIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.XLMR_TORCHSCRIPT, temp.resolve("m"));
        byte[] bytes = Files.readAllBytes(dir.resolve("model.pt"));
        Files.write(dir.resolve("model.pt"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertMentions(buildFails(dir), "model.pt");
    }

    @Test
    void build_malformedTokenizerJson_namesIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("m"));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": ", StandardCharsets.UTF_8);
        assertMentions(buildFails(dir), "tokenizer.json");
    }

    @Test
    void build_tokenizerJsonOfTheWrongShape_namesIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("m"));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"NoSuchModel\"}}", StandardCharsets.UTF_8);
        assertMentions(buildFails(dir), "tokenizer.json");
    }

    @Test
    void build_malformedConfigJson_namesIt() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("m"));
        Files.writeString(dir.resolve("config.json"), "{not json", StandardCharsets.UTF_8);
        assertMentions(buildFails(dir), "config.json");
    }

    @Test
    void build_threeLabelModel_isRefused() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("m"));
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"id2label\": {",
                "\"id2label\": {\"1\": \"B\", \"2\": \"C\","));
        assertMentions(buildFails(dir), "3 labels");
    }

    @Test
    void build_withoutModel_throwsIllegalState() {
        assertThrows(IllegalStateException.class, () -> DjlReranker.builder().build());
    }

    @Test
    void batchSize_notPositive_throws() {
        assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().batchSize(-1));
    }

    @Test
    void maxBatchTokens_notPositive_throwsNamingIt() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().maxBatchTokens(0)),
                "maxBatchTokens");
    }

    @Test
    void maxLength_outOfRange_throwsSayingTheLimit() {
        assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().maxLength(0));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT_TORCHSCRIPT)).maxLength(65).build());
        assertMentions(tooLong, "64");
        IllegalArgumentException xlmr = assertThrows(IllegalArgumentException.class,
                () -> DjlReranker.builder().model(Fixtures.dir(Fixtures.XLMR_TORCHSCRIPT)).maxLength(65).build());
        assertMentions(xlmr, "64");
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> DjlReranker.builder().model(Fixtures.dir(Fixtures.XLMR_TORCHSCRIPT)).maxLength(4).build());
        assertMentions(tooShort, "at least 5");
    }

    @Test
    void maxLength_withoutAnyLimitInTheFiles_mustBeSet() throws IOException {
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("m"));
        Files.delete(dir.resolve("config.json"));
        Files.delete(dir.resolve("tokenizer_config.json"));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().model(dir).build()),
                "maxLength");
        try (DjlReranker reranker = DjlReranker.builder().model(dir).maxLength(64).build()) {
            assertEquals(1, reranker.score("q", java.util.List.of("d")).length);
        }
    }

    @Test
    void device_badName_throwsAtTheSetter() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().device("tpu")), "tpu");
        assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().device("gpu:-1"));
        assertThrows(IllegalArgumentException.class, () -> DjlReranker.builder().device("gpu:x"));
    }

    @Test
    void device_notOnThisMachine_failsAtBuild() {
        RerankerException e = assertThrows(RerankerException.class,
                () -> DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT_TORCHSCRIPT)).device("gpu:7").build());
        assertMentions(e, "gpu:7", "not available");
    }

    @Test
    void otherSetters_rejectBadValues() {
        DjlReranker.Builder b = DjlReranker.builder();
        assertThrows(NullPointerException.class, () -> b.model((java.nio.file.Path) null));
        assertThrows(NullPointerException.class, () -> b.model((String) null));
        assertThrows(NullPointerException.class, () -> b.truncation(null));
        assertThrows(NullPointerException.class, () -> b.scoreMode(null));
        assertThrows(NullPointerException.class, () -> b.slidingWindows(null, 3));
        assertThrows(IllegalArgumentException.class, () -> b.slidingWindows(dev.reranker.WindowAggregation.MAX, -1));
        assertThrows(IllegalArgumentException.class, () -> b.predictors(0));
    }
}
