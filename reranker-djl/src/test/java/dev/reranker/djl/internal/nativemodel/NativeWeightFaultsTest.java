package dev.reranker.djl.internal.nativemodel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken weights fail the build with one {@link RerankerException} that names the file or tensor
 * and what was expected, never a crash, a Gson or NIO exception, or a model that scores nonsense.
 */
final class NativeWeightFaultsTest {

    @TempDir
    Path temp;

    private int directories;

    private static RerankerException buildFails(Path dir) {
        return assertThrows(RerankerException.class, () -> Checkpoints.raw(dir));
    }

    private static void assertMentions(Exception e, String... words) {
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), "\"" + e.getMessage() + "\" should mention " + word);
        }
    }

    private Path withTensors(TreeMap<String, Checkpoints.Tensor> tensors) {
        return Checkpoints.checkpoint(Checkpoints.BERT, tensors, temp.resolve("m"));
    }

    /** tiny-bert, in a new directory, with model.safetensors replaced by these bytes. */
    private Path withWeightFile(byte[] bytes) throws IOException {
        Path dir = Checkpoints.copyWithoutWeights(Checkpoints.BERT, temp.resolve("m" + directories++));
        Files.write(dir.resolve("model.safetensors"), bytes);
        return dir;
    }

    private static byte[] fixtureBytes() throws IOException {
        return Files.readAllBytes(Checkpoints.fixture(Checkpoints.BERT).resolve("model.safetensors"));
    }

    @Test
    void load_missingTensor_namesItAndItsShape() {
        TreeMap<String, Checkpoints.Tensor> tensors = Checkpoints.tensors(Checkpoints.BERT);
        tensors.remove("bert.encoder.layer.1.attention.self.key.weight");
        RerankerException e = buildFails(withTensors(tensors));
        assertMentions(e, "encoder.layer.1.attention.self.key.weight", "[32, 32]", temp.resolve("m").toString());
    }

    @Test
    void load_missingLayerNormBias_namesIt() {
        TreeMap<String, Checkpoints.Tensor> tensors = Checkpoints.tensors(Checkpoints.BERT);
        tensors.remove("bert.embeddings.LayerNorm.bias");
        assertMentions(buildFails(withTensors(tensors)), "embeddings.LayerNorm.bias", "[32]");
    }

    @Test
    void load_wronglyShapedTensor_namesExpectedAndFoundShape() {
        TreeMap<String, Checkpoints.Tensor> tensors = Checkpoints.tensors(Checkpoints.BERT);
        String name = "bert.encoder.layer.0.intermediate.dense.weight";
        tensors.put(name, tensors.get(name).withShape(32, 64)); // the transpose: same bytes, wrong layout
        RerankerException e = buildFails(withTensors(tensors));
        assertMentions(e, name, "[32, 64]", "expected [64, 32]", "model.safetensors");
    }

    @Test
    void load_tensorOfAnIntegerDtype_whereAWeightIsNeeded_namesTheDtype() {
        TreeMap<String, Checkpoints.Tensor> tensors = Checkpoints.tensors(Checkpoints.BERT);
        String name = "classifier.bias";
        tensors.put(name, new Checkpoints.Tensor("I32", new long[] {1}, new byte[4]));
        assertMentions(buildFails(withTensors(tensors)), name, "I32", "F32, F16 or BF16");
    }

    @Test
    void load_truncatedFile_namesTheFile() throws IOException {
        byte[] bytes = fixtureBytes();
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int cut = (int) (8 + headerLength + (bytes.length - 8 - headerLength) / 2); // the middle of the data
        Path dir = withWeightFile(Arrays.copyOf(bytes, cut));
        assertMentions(buildFails(dir), dir.resolve("model.safetensors").toString(), "not a valid safetensors file",
                "past the end of the file");
    }

    @Test
    void load_fileCutInsideTheHeader_namesTheFile() throws IOException {
        Path dir = withWeightFile(Arrays.copyOf(fixtureBytes(), 100));
        assertMentions(buildFails(dir), dir.resolve("model.safetensors").toString(), "header length");
    }

    @Test
    void load_fileShorterThanTheHeaderLength_namesTheFile() throws IOException {
        Path dir = withWeightFile(new byte[] {1, 2, 3});
        assertMentions(buildFails(dir), dir.resolve("model.safetensors").toString(), "8-byte header length");
    }

    @Test
    void load_headerLengthLargerThanTheFile_namesTheFile() throws IOException {
        for (long length : new long[] {1L << 20, Long.MAX_VALUE, -8, 0}) {
            ByteBuffer bytes = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(length).put("{\"__metadata__\": {}}".getBytes(StandardCharsets.UTF_8));
            Path dir = withWeightFile(bytes.array());
            assertMentions(buildFails(dir), dir.resolve("model.safetensors").toString(), "header length " + length);
        }
    }

    @Test
    void load_headerThatIsNotJson_namesTheFile() throws IOException {
        for (String header : new String[] {"this is not json at all!", "{\"a\": [1, 2", "[1, 2, 3]", "\u0000\u0001\u00ff garbage"}) {
            byte[] text = header.getBytes(StandardCharsets.UTF_8);
            ByteBuffer bytes = ByteBuffer.allocate(8 + text.length + 16).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(text.length).put(text);
            Path dir = withWeightFile(bytes.array());
            assertMentions(buildFails(dir), dir.resolve("model.safetensors").toString(), "not a JSON object");
        }
    }

    @Test
    void load_headerEntryMalformed_namesTheTensor() throws IOException {
        for (String entry : new String[] {
            "{\"dtype\": \"F32\", \"shape\": [2]}",                                  // no data_offsets
            "{\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}",       // 4 bytes for 2 floats
            "{\"dtype\": \"F32\", \"shape\": \"two\", \"data_offsets\": [0, 8]}",
            "7",
        }) {
            byte[] text = ("{\"classifier.bias\": " + entry + "}").getBytes(StandardCharsets.UTF_8);
            ByteBuffer bytes = ByteBuffer.allocate(8 + text.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(text.length).put(text);
            Path dir = withWeightFile(bytes.array());
            assertMentions(buildFails(dir), dir.resolve("model.safetensors").toString(), "classifier.bias");
        }
    }
}
