package dev.reranker.djl.internal.nativemodel;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder layers in bfloat16, run by two tiny TorchScript programs shipped in this jar
 * ({@code to_bf16.pt}, {@code bf16_layer.pt}; see {@code scripts/make_bf16_modules.py}).
 *
 * <p>Why TorchScript: in DJL 0.36, creating or converting to a BFLOAT16 NDArray from Java aborts
 * the JVM, and so does eager softmax on bf16; the same operations inside a TorchScript module run
 * fine, and bf16 tensors coming out of one can be handed back in or converted to fp32 with
 * {@code toType(FLOAT32, false)}. So Java never creates a bf16 array itself.
 */
final class Bf16Encoder implements AutoCloseable {

    private final Model toBf16Model;
    private final Model layerModel;
    private final Block toBf16;
    private final Block layer;
    private final List<NDList> layerWeights = new ArrayList<>();
    private final NDList scalars;
    private final ParameterStore parameters;

    /**
     * Converts the layers' weights to bf16 (LayerNorm's stay fp32).
     *
     * @param layers per layer, its 16 tensors in the order of {@code bf16_layer.pt}'s arguments
     */
    Bf16Encoder(List<NDList> layers, EncoderConfig config, NDManager manager, Device device) {
        Path dir = extractModules();
        toBf16Model = load(dir, "to_bf16", device);
        Model loadedLayer = null;
        try {
            loadedLayer = load(dir, "bf16_layer", device);
        } catch (RuntimeException e) {
            toBf16Model.close();
            throw e;
        }
        layerModel = loadedLayer;
        toBf16 = toBf16Model.getBlock();
        layer = layerModel.getBlock();
        parameters = new ParameterStore(manager, false);
        for (NDList weights : layers) {
            NDList converted = new NDList();
            for (int i = 0; i < weights.size(); i++) {
                boolean layerNorm = i == 8 || i == 9 || i == 14 || i == 15;
                converted.add(layerNorm ? weights.get(i) : bf16(weights.get(i)));
            }
            layerWeights.add(converted);
        }
        int activation = switch (config.activation()) {
            case "gelu_new", "gelu_pytorch_tanh" -> 1;
            case "relu" -> 2;
            default -> 0;
        };
        scalars = new NDList(manager.create((long) config.heads()), manager.create(config.layerNormEps()),
                manager.create((long) activation));
    }

    NDArray bf16(NDArray x) {
        return toBf16.forward(parameters, new NDList(x), false).singletonOrThrow();
    }

    /**
     * Runs every layer on {@code x} (fp32 embeddings) and returns the last hidden states in fp32.
     *
     * @param maskBias [B, 1, 1, T] fp32: 0 where attended, the most negative float on padding
     */
    NDArray encode(NDArray x, NDArray maskBias) {
        NDArray hidden = bf16(x);
        for (NDList weights : layerWeights) {
            NDList inputs = new NDList(hidden, maskBias);
            inputs.addAll(weights);
            inputs.addAll(scalars);
            NDArray next = layer.forward(parameters, inputs, false).singletonOrThrow();
            hidden.close();
            hidden = next;
        }
        return hidden.toType(DataType.FLOAT32, false);
    }

    private static Path extractModules() {
        try {
            Path dir = Files.createTempDirectory("reranker-bf16");
            dir.toFile().deleteOnExit();
            for (String name : new String[] {"to_bf16", "bf16_layer"}) {
                try (InputStream in = Bf16Encoder.class.getResourceAsStream(name + ".pt")) {
                    if (in == null) {
                        throw new RerankerException("the bf16 program " + name + ".pt is missing from the reranker-djl jar");
                    }
                    Path file = dir.resolve(name + ".pt");
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new RerankerException("could not unpack the bf16 programs to a temporary directory: " + e.getMessage(), e);
        }
    }

    private static Model load(Path dir, String name, Device device) {
        Model model = Model.newInstance(name, device, "PyTorch");
        try {
            model.load(dir, name);
            return model;
        } catch (Exception e) {
            model.close();
            throw new RerankerException("could not load the bf16 program " + name + ".pt: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        layerModel.close();
        toBf16Model.close();
    }
}
