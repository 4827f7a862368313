package dev.reranker.djl.internal.nativemodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>Tensors are read on demand through a memory map, one at a time, and copied into libtorch's
 * memory as fp32, so the file is never held twice: a multi-gigabyte checkpoint loads with a small
 * Java heap. F16 and BF16 are widened to fp32 in Java in bounded chunks, because DJL 0.36 aborts
 * the JVM when it creates or converts to BFLOAT16 arrays.
 */
final class SafetensorsFile implements AutoCloseable {

    /** Elements converted per chunk for 16-bit dtypes: 64 MB of fp32 at a time. */
    private static final int CHUNK_ELEMENTS = 16 << 20;
    private static final long MAX_HEADER = 100L << 20;

    record Tensor(String name, String dtype, long[] shape, long begin, long end) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Tensor> tensors;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Tensor> tensors) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
    }

    static SafetensorsFile open(Path path) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            long size = channel.size();
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 8 || channel.read(lengthBytes, 0) != 8) {
                throw corrupt(path, "it is shorter than the 8-byte header length");
            }
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw corrupt(path, "its header length " + headerLength + " does not fit the file of " + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            while (header.hasRemaining() && channel.read(header, 8 + header.position()) > 0) {
                // read until full
            }
            JsonObject json;
            try {
                json = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                throw corrupt(path, "its header is not a JSON object (" + e.getMessage() + ")");
            }
            long dataStart = 8 + headerLength;
            Map<String, Tensor> tensors = new HashMap<>();
            for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
                if (entry.getKey().equals("__metadata__")) {
                    continue;
                }
                Tensor tensor = parseTensor(path, entry.getKey(), entry.getValue());
                if (tensor.end() > size - dataStart) {
                    throw corrupt(path, "tensor " + tensor.name() + " ends past the end of the file (truncated download?)");
                }
                tensors.put(tensor.name(), tensor);
            }
            return new SafetensorsFile(path, channel, dataStart, tensors);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RerankerException("could not read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static Tensor parseTensor(Path path, String name, JsonElement value) {
        try {
            JsonObject t = value.getAsJsonObject();
            String dtype = t.get("dtype").getAsString();
            long[] shape = new long[t.getAsJsonArray("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.getAsJsonArray("shape").get(i).getAsLong();
            }
            long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
            Tensor tensor = new Tensor(name, dtype, shape, begin, end);
            int width = width(dtype);
            if (begin < 0 || end < begin || (width > 0 && end - begin != tensor.elements() * width)) {
                throw corrupt(path, "tensor " + name + " has " + (end - begin) + " bytes for shape "
                        + Arrays.toString(shape) + " of " + dtype);
            }
            return tensor;
        } catch (RuntimeException e) {
            if (e instanceof RerankerException) {
                throw e;
            }
            throw corrupt(path, "the header entry of " + name + " is malformed (" + e.getMessage() + ")");
        }
    }

    /** Bytes per element, or 0 for a dtype we never read. */
    private static int width(String dtype) {
        switch (dtype) {
            case "F32":
            case "I32":
            case "U32":
                return 4;
            case "F16":
            case "BF16":
            case "I16":
            case "U16":
                return 2;
            case "F64":
            case "I64":
            case "U64":
                return 8;
            case "I8":
            case "U8":
            case "BOOL":
                return 1;
            default:
                return 0;
        }
    }

    private static RerankerException corrupt(Path path, String why) {
        return new RerankerException(path + " is not a valid safetensors file: " + why
                + "; download it again or re-save the model with save_pretrained(dir, safe_serialization=True)");
    }

    Path path() {
        return path;
    }

    Map<String, Tensor> tensors() {
        return tensors;
    }

    /** Copies a floating-point tensor into {@code manager} as fp32. */
    NDArray load(NDManager manager, Tensor tensor) {
        Shape shape = new Shape(tensor.shape());
        try {
            switch (tensor.dtype()) {
                case "F32":
                    return loadF32(manager, tensor, shape);
                case "F16":
                case "BF16":
                    return loadHalf(manager, tensor, shape);
                default:
                    throw new RerankerException(path + ": tensor " + tensor.name() + " is " + tensor.dtype()
                            + "; weights must be F32, F16 or BF16");
            }
        } catch (IOException e) {
            throw new RerankerException("could not read tensor " + tensor.name() + " from " + path + ": " + e.getMessage(), e);
        }
    }

    private NDArray loadF32(NDManager manager, Tensor tensor, Shape shape) throws IOException {
        if (tensor.elements() == 0) {
            return manager.zeros(shape);
        }
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + tensor.begin(),
                tensor.end() - tensor.begin());
        mapped.order(ByteOrder.LITTLE_ENDIAN);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            float[] values = new float[Math.toIntExact(tensor.elements())];
            mapped.asFloatBuffer().get(values);
            return manager.create(values, shape);
        }
        // The array made from the map points into the file's pages; duplicate() copies it into
        // libtorch's own memory so the map can go.
        try (NDArray view = manager.create(mapped, shape, DataType.FLOAT32)) {
            return view.duplicate();
        }
    }

    private NDArray loadHalf(NDManager manager, Tensor tensor, Shape shape) throws IOException {
        boolean bf16 = tensor.dtype().equals("BF16");
        long rows = shape.dimension() == 0 ? 1 : shape.get(0);
        long rowElements = rows == 0 ? 0 : tensor.elements() / rows;
        if (tensor.elements() == 0) {
            return manager.zeros(shape);
        }
        long rowsPerChunk = Math.max(1, CHUNK_ELEMENTS / Math.max(1, rowElements));
        ByteBuffer floats = ByteBuffer.allocateDirect(
                (int) Math.min(tensor.elements(), rowsPerChunk * rowElements) * 4).order(ByteOrder.nativeOrder());
        NDList chunks = new NDList();
        try {
            for (long row = 0; row < rows; row += rowsPerChunk) {
                long chunkRows = Math.min(rowsPerChunk, rows - row);
                long count = chunkRows * rowElements;
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY,
                        dataStart + tensor.begin() + row * rowElements * 2, count * 2);
                mapped.order(ByteOrder.LITTLE_ENDIAN);
                floats.clear();
                for (long i = 0; i < count; i++) {
                    short bits = mapped.getShort();
                    floats.putFloat(bf16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : halfToFloat(bits));
                }
                floats.flip();
                Shape chunkShape = shape.dimension() == 0 ? shape
                        : new Shape(chunkRows).addAll(shape.slice(1));
                try (NDArray view = manager.create(floats, chunkShape, DataType.FLOAT32)) {
                    chunks.add(view.duplicate());
                }
            }
            return chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(chunks, 0);
        } finally {
            if (chunks.size() > 1) {
                chunks.close();
            }
        }
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat arrived only in Java 20). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal: value = mantissa * 2^-24.
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do: the file was only read
            }
        }
    }
}
