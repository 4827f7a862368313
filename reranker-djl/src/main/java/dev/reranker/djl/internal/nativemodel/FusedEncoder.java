package dev.reranker.djl.internal.nativemodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder layers of inference, run by the TorchScript program {@code encoder_layer.pt} shipped
 * in this jar (see {@code scripts/make_layer_programs.py}), over a batch packed without padding.
 *
 * <p>Why a program: its attention runs row by row over exactly each row's tokens, in fp32 with
 * libtorch's fused {@code scaled_dot_product_attention}, which DJL's API does not offer (in bf16 as
 * matmul, softmax, matmul, which ran faster there); with the batch packed, no multiply and no
 * attention score is spent on padding, and no mask is needed.
 * One call per layer also replaces some thirty JNI calls.
 *
 * <p>In bf16 the matrices are converted once by {@code to_bf16.pt} (in DJL 0.36, creating or
 * converting to a BFLOAT16 NDArray from Java aborts the JVM; inside a program it works), LayerNorm
 * weights stay fp32, and the residual stream between layers stays fp32.
 */
final class FusedEncoder implements AutoCloseable {

    private final LayerPrograms.Program layer;
    private final List<NDList> layerWeights = new ArrayList<>();
    private final NDList scalars;
    private final ParameterStore parameters;

    /**
     * @param layers per layer, its 16 tensors in the order of {@code encoder_layer.pt}'s arguments;
     *     in fp32 they are used as they are (training updates them in place), in bf16 their
     *     matrices are converted and the fp32 copies closed
     */
    FusedEncoder(List<NDList> layers, EncoderConfig config, NDManager manager, boolean bf16) {
        parameters = new ParameterStore(manager, false);
        layer = LayerPrograms.load("encoder_layer", manager.getDevice());
        if (bf16) {
            try (LayerPrograms.Program toBf16 = LayerPrograms.load("to_bf16", manager.getDevice())) {
                for (NDList weights : layers) {
                    NDList converted = new NDList();
                    for (int i = 0; i < weights.size(); i++) {
                        boolean layerNorm = i == 8 || i == 9 || i == 14 || i == 15;
                        if (layerNorm) {
                            converted.add(weights.get(i));
                        } else {
                            converted.add(toBf16.run(parameters, new NDList(weights.get(i))));
                            weights.get(i).close(); // never used again: don't hold the model twice
                        }
                    }
                    layerWeights.add(converted);
                }
            } catch (RuntimeException e) {
                layer.close();
                throw e;
            }
        } else {
            layerWeights.addAll(layers);
        }
        int activation = switch (config.activation()) {
            case "gelu_new", "gelu_pytorch_tanh" -> 1;
            case "relu" -> 2;
            default -> 0;
        };
        scalars = new NDList(manager.create((long) config.heads()), manager.create(config.layerNormEps()),
                manager.create((long) activation));
    }

    /**
     * Runs every layer.
     *
     * @param x the embeddings of the real tokens of every row, one row after another: [N, H] fp32
     * @param lengths [B] int64: each row's token count, summing to N
     * @return the last hidden states, [N, H] fp32, in {@code x}'s manager
     */
    NDArray encode(NDArray x, NDArray lengths) {
        NDArray hidden = x;
        for (NDList weights : layerWeights) {
            NDList inputs = new NDList(hidden, lengths);
            inputs.addAll(weights);
            inputs.addAll(scalars);
            NDArray next = layer.run(parameters, inputs);
            if (hidden != x) {
                hidden.close();
            }
            hidden = next;
        }
        return hidden;
    }

    @Override
    public void close() {
        layer.close();
    }
}
