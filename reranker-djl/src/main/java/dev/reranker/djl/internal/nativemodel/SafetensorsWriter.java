package dev.reranker.djl.internal.nativemodel;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes a {@code .safetensors} file, as Hugging Face's {@code save_file} / {@code save_pretrained}
 * do: an 8-byte little-endian header length, a JSON header (each tensor's dtype, shape and byte
 * range, names in sorted order, plus {@code "__metadata__": {"format": "pt"}}) padded with spaces
 * to a multiple of 8 bytes, then the raw little-endian data.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *         .put("classifier.weight", weights, new long[] {1, 768}, SafetensorsWriter.Dtype.BF16)
 *         .put("classifier.bias", bias, new long[] {1}, SafetensorsWriter.Dtype.F32)
 *         .write(directory.resolve("model.safetensors"));
 * }</pre>
 *
 * <p>Tensors are encoded while they are written, a chunk at a time, so writing holds no second copy
 * of the checkpoint; the arrays passed to {@code put} are therefore read at {@link #write}, not
 * copied, and must not change in between. The file appears whole or not at all: it is written
 * beside the target and moved into place. Data is laid out widest dtype first, then by name, so that
 * every tensor starts at a multiple of its element size, as the safetensors library lays it out.
 * Not thread-safe; a writer can write the same tensors more than once.
 */
public final class SafetensorsWriter {

    /** Floating-point dtypes {@link #put(String, float[], long[], Dtype)} encodes from floats. */
    public enum Dtype {
        F32(4),
        /** IEEE 754 binary16, rounded to nearest even; too large becomes infinity. */
        F16(2),
        /** bfloat16, the top 16 bits of the float rounded to nearest even. */
        BF16(2);

        private final int width;

        Dtype(int width) {
            this.width = width;
        }
    }

    /** Bytes per element of every dtype the safetensors format defines. */
    private static final Map<String, Integer> WIDTHS = Map.ofEntries(
            Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8),
            Map.entry("F32", 4), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I16", 2), Map.entry("U16", 2),
            Map.entry("I8", 1), Map.entry("U8", 1), Map.entry("BOOL", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1));

    /** Elements encoded per write: 1 MB of F32. */
    private static final int CHUNK_ELEMENTS = 1 << 18;

    private record Entry(String name, String dtype, int width, long[] shape, float[] floats, byte[] bytes) {}

    private final TreeMap<String, Entry> tensors = new TreeMap<>();

    /**
     * Adds a floating-point tensor, encoded as {@code dtype} when written.
     *
     * @param values the elements in row-major order; read at {@link #write}, not copied
     * @throws IllegalArgumentException if the name is taken or reserved, or the shape does not
     *     hold exactly {@code values.length} elements
     */
    public SafetensorsWriter put(String name, float[] values, long[] shape, Dtype dtype) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(dtype, "dtype");
        long[] checked = checkShape(name, shape, values.length);
        return add(new Entry(name, dtype.name(), dtype.width, checked, values, null));
    }

    /**
     * Adds a tensor of any safetensors dtype ({@code I64}, {@code F16}, ...) from its raw bytes.
     *
     * @param littleEndianData the elements in row-major order, little-endian; read at
     *     {@link #write}, not copied
     * @throws IllegalArgumentException if the dtype is unknown, the name is taken or reserved, or the
     *     data is not exactly the shape's size
     */
    public SafetensorsWriter putRaw(String name, String dtype, long[] shape, byte[] littleEndianData) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(littleEndianData, "littleEndianData");
        Integer width = WIDTHS.get(dtype);
        if (width == null) {
            throw new IllegalArgumentException("dtype must be one of " + new TreeMap<>(WIDTHS).keySet() + ", was " + dtype);
        }
        if (littleEndianData.length % width != 0) {
            throw new IllegalArgumentException("tensor " + name + ": " + littleEndianData.length
                    + " bytes is not a whole number of " + dtype + " elements");
        }
        long[] checked = checkShape(name, shape, littleEndianData.length / width);
        return add(new Entry(name, dtype, width, checked, null, littleEndianData));
    }

    private SafetensorsWriter add(Entry entry) {
        if (tensors.containsKey(entry.name())) {
            throw new IllegalArgumentException("tensor " + entry.name() + " was already put");
        }
        tensors.put(entry.name(), entry);
        return this;
    }

    private static long[] checkShape(String name, long[] shape, long elements) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        if (name.isEmpty() || name.equals("__metadata__")) {
            throw new IllegalArgumentException("tensor name must not be empty or __metadata__, was \"" + name + "\"");
        }
        long product = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor " + name + ": dimensions must not be negative, shape was "
                        + Arrays.toString(shape));
            }
            product *= d;
        }
        if (product != elements) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " holds "
                    + product + " elements, but " + elements + " were given");
        }
        return shape.clone();
    }

    /**
     * Writes the tensors put so far to {@code file}, replacing it.
     *
     * @throws RerankerException if the file cannot be written; the target is then left as it was
     */
    public void write(Path file) {
        Objects.requireNonNull(file, "file");
        List<Entry> layout = new ArrayList<>(tensors.values());
        layout.sort(Comparator.comparingInt(Entry::width).reversed().thenComparing(Entry::name));
        JsonObject header = new JsonObject();
        JsonObject metadata = new JsonObject();
        metadata.addProperty("format", "pt");
        header.add("__metadata__", metadata);
        Map<String, Long> begins = new HashMap<>();
        long offset = 0;
        for (Entry entry : layout) {
            begins.put(entry.name(), offset);
            offset += entry.width() * elements(entry.shape());
        }
        for (Entry entry : tensors.values()) { // the header in name order
            JsonObject t = new JsonObject();
            t.addProperty("dtype", entry.dtype());
            JsonArray shape = new JsonArray();
            for (long d : entry.shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            long begin = begins.get(entry.name());
            JsonArray offsets = new JsonArray();
            offsets.add(begin);
            offsets.add(begin + entry.width() * elements(entry.shape()));
            t.add("data_offsets", offsets);
            header.add(entry.name(), t);
        }
        byte[] json = new GsonBuilder().disableHtmlEscaping().create().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;

        Path absolute = file.toAbsolutePath();
        // Beside the target, so the move is a rename; created like any file (not createTempFile's
        // owner-only permissions), since it becomes the checkpoint.
        Path temp = absolute.resolveSibling(absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer start = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                start.putLong(padded).put(json);
                while (start.hasRemaining()) {
                    start.put((byte) ' ');
                }
                writeFully(out, start.flip());
                // Direct, and raw bytes go through it in slices, so the channel never copies a whole
                // tensor into a temporary native buffer.
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (Entry entry : layout) {
                    if (entry.bytes() != null) {
                        writeBytes(out, entry.bytes(), chunk);
                    } else {
                        writeFloats(out, entry, chunk);
                    }
                }
                out.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new RerankerException("could not write " + absolute + ": " + e, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the failure being thrown matters more than a stray temporary file
                }
            }
        }
    }

    private static void writeBytes(FileChannel out, byte[] bytes, ByteBuffer chunk) throws IOException {
        for (int from = 0; from < bytes.length; from += chunk.capacity()) {
            chunk.clear();
            chunk.put(bytes, from, Math.min(chunk.capacity(), bytes.length - from));
            writeFully(out, chunk.flip());
        }
    }

    private static void writeFloats(FileChannel out, Entry entry, ByteBuffer chunk) throws IOException {
        float[] values = entry.floats();
        for (int from = 0; from < values.length; from += CHUNK_ELEMENTS) {
            int to = Math.min(values.length, from + CHUNK_ELEMENTS);
            chunk.clear();
            switch (entry.dtype()) {
                case "F32":
                    for (int i = from; i < to; i++) {
                        chunk.putFloat(values[i]);
                    }
                    break;
                case "F16":
                    for (int i = from; i < to; i++) {
                        chunk.putShort(floatToHalf(values[i]));
                    }
                    break;
                case "BF16":
                    for (int i = from; i < to; i++) {
                        chunk.putShort(floatToBfloat16(values[i]));
                    }
                    break;
                default:
                    throw new AssertionError(entry.dtype());
            }
            writeFully(out, chunk.flip());
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Float to IEEE 754 binary16, rounding to nearest even: what {@code torch.Tensor.half()} does.
     * Values beyond the half range become infinity, values below half its smallest subnormal
     * become (signed) zero, and NaN stays NaN.
     */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign; // below half the smallest subnormal, 2^-25
            }
            // Subnormal: the value in units of 2^-24 is the full significand shifted right.
            int significand = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(significand, shift));
        }
        // A carry out of the mantissa correctly bumps the exponent, up to infinity.
        return (short) (sign | roundShift((halfExponent << 23) | mantissa, 13));
    }

    /** {@code value >>> shift}, rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }

    /** Float to bfloat16: the top 16 bits, rounded to nearest even; NaN stays NaN. */
    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
