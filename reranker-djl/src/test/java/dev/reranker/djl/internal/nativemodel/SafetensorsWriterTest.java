package dev.reranker.djl.internal.nativemodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.RerankerException;
import dev.reranker.djl.internal.Engines;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files {@link SafetensorsWriter} writes: the layout of the format, and values that read back. */
final class SafetensorsWriterTest {

    @TempDir
    Path temp;

    private static final float[] WEIGHT = {1f, -2.5f, 0.1f, 65504f, 1e-7f, 3.14159265f};
    private static final float[] BIAS = {0.5f, -0.25f, 1.0078125f};

    private static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** Tensors put out of name order, of three widths, with a 2-byte one that leaves an odd offset. */
    private SafetensorsWriter mixed() {
        return new SafetensorsWriter()
                .put("b.weight", WEIGHT, new long[] {2, 3}, SafetensorsWriter.Dtype.F32)
                .put("a.bias", BIAS, new long[] {3}, SafetensorsWriter.Dtype.F16)
                .putRaw("c.position_ids", "I64", new long[] {1, 3}, longs(0, 1, 2))
                .put("d.scalar", new float[] {7f}, new long[0], SafetensorsWriter.Dtype.BF16);
    }

    @Test
    void write_layout_isTheSafetensorsFormat() throws IOException {
        Path file = temp.resolve("model.safetensors");
        mixed().write(file);
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "the header is padded to a multiple of 8");
        String headerText = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        String json = headerText.stripTrailing();
        assertTrue(headerText.substring(json.length()).chars().allMatch(c -> c == ' '), "padded with spaces");
        assertTrue(headerText.length() - json.length() < 8, "no more padding than needed");

        JsonObject header = JsonParser.parseString(json).getAsJsonObject();
        assertEquals(List.of("__metadata__", "a.bias", "b.weight", "c.position_ids", "d.scalar"),
                new ArrayList<>(header.keySet()), "names in sorted order");
        assertEquals(JsonParser.parseString("{\"format\":\"pt\"}"), header.get("__metadata__"));
        assertEquals(JsonParser.parseString("[2,3]"), header.getAsJsonObject("b.weight").get("shape"));
        String[] dtypes = {"F16", "F32", "I64", "BF16"};
        int[] widths = {2, 4, 8, 2};
        long[] sizes = {3 * 2, 6 * 4, 3 * 8, 2};
        String[] names = {"a.bias", "b.weight", "c.position_ids", "d.scalar"};
        long[][] ranges = new long[names.length][];
        for (int i = 0; i < names.length; i++) {
            JsonObject t = header.getAsJsonObject(names[i]);
            assertEquals(dtypes[i], t.get("dtype").getAsString(), names[i]);
            JsonArray offsets = t.getAsJsonArray("data_offsets");
            ranges[i] = new long[] {offsets.get(0).getAsLong(), offsets.get(1).getAsLong()};
            assertEquals(sizes[i], ranges[i][1] - ranges[i][0], names[i] + " byte size");
            assertEquals(0, ranges[i][0] % widths[i], names[i] + " starts aligned to its element size");
        }
        assertEquals(0, header.getAsJsonObject("d.scalar").getAsJsonArray("shape").size(), "a scalar has shape []");
        // The ranges tile the data exactly: no holes, no overlaps, nothing after.
        long total = 0;
        for (long[] r : ranges) {
            total += r[1] - r[0];
            for (long[] other : ranges) {
                assertTrue(r == other || r[1] <= other[0] || other[1] <= r[0], "ranges overlap");
            }
        }
        assertEquals(8 + headerLength + total, bytes.length, "file size");
        long dataStart = 8 + headerLength;
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2L, data.getLong((int) (dataStart + ranges[2][0] + 16)), "I64 bytes as given");
        assertEquals(-2.5f, data.getFloat((int) (dataStart + ranges[1][0] + 4)), "F32 little-endian");
        assertEquals(0x3800, data.getShort((int) (dataStart + ranges[0][0])) & 0xffff, "F16 of 0.5");
        assertEquals(0x40e0, data.getShort((int) (dataStart + ranges[3][0])) & 0xffff, "BF16 of 7");
    }

    @Test
    void write_thenSafetensorsFileReadsTheValues() {
        Path file = temp.resolve("m.safetensors");
        float[] big = new float[300_000]; // more than one chunk of the writer's encoder
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i * 0.001) * (1 + i % 7);
        }
        ByteBuffer raw = ByteBuffer.allocate(big.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(big);
        mixed().put("e.big", big, new long[] {1000, 300}, SafetensorsWriter.Dtype.F16)
                .put("f.big", big, new long[] {300_000}, SafetensorsWriter.Dtype.BF16)
                .put("g.big", big, new long[] {3, 100_000}, SafetensorsWriter.Dtype.F32)
                .putRaw("h.big", "F32", new long[] {300, 1000}, raw.array())
                .write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file);
                NDManager manager = Engines.pytorch().newBaseManager()) {
            Map<String, SafetensorsFile.Tensor> tensors = read.tensors();
            assertEquals(8, tensors.size());
            assertArrayEquals(new long[] {2, 3}, tensors.get("b.weight").shape());
            assertArrayEquals(WEIGHT, floats(read, manager, "b.weight"), "F32 exactly");
            assertArrayEquals(new float[] {0.5f, -0.25f, 1.0078125f}, floats(read, manager, "a.bias"),
                    "these are exact in F16");
            assertArrayEquals(new float[] {7f}, floats(read, manager, "d.scalar"));
            float[] f16 = floats(read, manager, "e.big");
            float[] bf16 = floats(read, manager, "f.big");
            assertArrayEquals(big, floats(read, manager, "g.big"));
            assertArrayEquals(big, floats(read, manager, "h.big"), "raw bytes, written in slices");
            for (int i = 0; i < big.length; i++) {
                assertEquals(SafetensorsFile.halfToFloat(SafetensorsWriter.floatToHalf(big[i])), f16[i], 0f, "F16 " + i);
                assertEquals(Float.intBitsToFloat((SafetensorsWriter.floatToBfloat16(big[i]) & 0xffff) << 16), bf16[i],
                        0f, "BF16 " + i);
                // Rounded to nearest: within half a unit in the last place of 11 and 8 significant bits.
                assertEquals(big[i], f16[i], Math.max(Math.abs(big[i]) * 0x1p-11, 0x1p-25), "F16 error " + i);
                assertEquals(big[i], bf16[i], Math.abs(big[i]) * 0x1p-8, "BF16 error " + i);
            }
        }
    }

    private static float[] floats(SafetensorsFile file, NDManager manager, String name) {
        try (NDArray array = file.load(manager, file.tensors().get(name))) {
            return array.toFloatArray();
        }
    }

    @Test
    void write_namesWithJsonSpecialCharacters_areStoredAsGiven() throws IOException {
        Path file = temp.resolve("names.safetensors");
        String name = "layer.<0>&'=\"quoted\"\\ü";
        new SafetensorsWriter().put(name, new float[] {1}, new long[] {1}, SafetensorsWriter.Dtype.F32).write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(Set.of(name), read.tensors().keySet());
        }
        String header = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertTrue(header.contains("layer.<0>&'="), "not HTML-escaped: " + header);
    }

    @Test
    void write_emptyWriter_givesAValidFileWithOnlyMetadata() throws IOException {
        Path file = temp.resolve("empty.safetensors");
        new SafetensorsWriter().write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertTrue(read.tensors().isEmpty());
        }
        assertEquals(0, Files.size(file) % 8);
    }

    @Test
    void write_replacesAnExistingFile_andLeavesNothingElseBehind() throws IOException {
        Path file = temp.resolve("model.safetensors");
        Files.writeString(file, "an older checkpoint");
        new SafetensorsWriter().put("x", new float[] {1, 2}, new long[] {2}, SafetensorsWriter.Dtype.F32).write(file);
        try (var listing = Files.list(temp)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file left");
        }
        assertArrayEquals(new long[] {2}, Checkpoints.read(file).get("x").shape());
    }

    @Test
    void write_intoAMissingDirectory_failsNamingThePath() {
        Path file = temp.resolve("no-such-dir").resolve("model.safetensors");
        RerankerException e = assertThrows(RerankerException.class,
                () -> new SafetensorsWriter().put("x", new float[] {1}, new long[] {1}, SafetensorsWriter.Dtype.F32)
                        .write(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void put_badArguments_throwSayingWhatIsWrong() {
        SafetensorsWriter writer = new SafetensorsWriter()
                .put("x", new float[] {1, 2}, new long[] {2}, SafetensorsWriter.Dtype.F32);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> writer.put("y", new float[] {1, 2, 3}, new long[] {2, 2}, SafetensorsWriter.Dtype.F16));
        assertTrue(shape.getMessage().contains("[2, 2]") && shape.getMessage().contains("3"), shape.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> writer.put("x", new float[] {1, 2}, new long[] {2}, SafetensorsWriter.Dtype.F32), "name taken");
        assertThrows(IllegalArgumentException.class,
                () -> writer.put("__metadata__", new float[] {1}, new long[] {1}, SafetensorsWriter.Dtype.F32));
        assertThrows(IllegalArgumentException.class,
                () -> writer.put("z", new float[] {1}, new long[] {-1}, SafetensorsWriter.Dtype.F32));
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> writer.putRaw("z", "F128", new long[] {1}, new byte[16]));
        assertTrue(dtype.getMessage().contains("F128"), dtype.getMessage());
        assertThrows(IllegalArgumentException.class, () -> writer.putRaw("z", "I64", new long[] {2}, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> writer.putRaw("z", "I64", new long[] {1}, new byte[7]));
        assertThrows(NullPointerException.class, () -> writer.put(null, new float[0], new long[] {0}, SafetensorsWriter.Dtype.F32));
        assertThrows(NullPointerException.class, () -> writer.put("w", null, new long[] {0}, SafetensorsWriter.Dtype.F32));
        assertThrows(NullPointerException.class, () -> writer.put("w", new float[0], null, SafetensorsWriter.Dtype.F32));
    }
}
