package dev.reranker.djl.internal.nativemodel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;


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

    private final Bf16Programs.Program toBf16;
    private final Bf16Programs.Program layer;
    private final List<NDList> layerWeights = new ArrayList<>();
    private final NDList scalars;
    private final ParameterStore parameters;

    /**
     * Converts the layers' weights to bf16 (LayerNorm's stay fp32) and frees their fp32 copies.
     *
     * @param layers per layer, its 16 tensors in the order of {@code bf16_layer.pt}'s arguments
     */
    Bf16Encoder(List<NDList> layers, EncoderConfig config, NDManager manager, Device device) {
        toBf16 = Bf16Programs.load("to_bf16", device);
        try {
            layer = Bf16Programs.load("bf16_layer", device);
        } catch (RuntimeException e) {
            toBf16.close();
            throw e;
        }
        parameters = new ParameterStore(manager, false);
        for (NDList weights : layers) {
            NDList converted = new NDList();
            for (int i = 0; i < weights.size(); i++) {
                boolean layerNorm = i == 8 || i == 9 || i == 14 || i == 15;
                if (layerNorm) {
                    converted.add(weights.get(i));
                } else {
                    converted.add(bf16(weights.get(i)));
                    weights.get(i).close(); // the fp32 copy is never used again: don't hold the model twice
                }
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
        return toBf16.run(parameters, new NDList(x));
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
            NDArray next = layer.run(parameters, inputs);
            hidden.close();
            hidden = next;
        }
        return hidden.toType(DataType.FLOAT32, false);
    }

    @Override
    public void close() {
        layer.close();
        toBf16.close();
    }
}
