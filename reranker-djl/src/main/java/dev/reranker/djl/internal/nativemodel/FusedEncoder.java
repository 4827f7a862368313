package dev.reranker.djl.internal.nativemodel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import dev.reranker.djl.internal.CpuFeatures;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encoder layers of inference, run by a TorchScript program shipped in this jar (see
 * {@code scripts/make_layer_programs.py}), over a batch packed without padding: on a CPU
 * {@code encoder_layer_onednn.pt}, whose linears run through oneDNN (about 1.6x libtorch's default
 * fp32 route on the AMD EPYC measured), else the portable {@code encoder_layer.pt}. The oneDNN
 * program is used only after it has run a layer and agreed with the portable one; a libtorch
 * without it, or a CPU its bf16 path refuses, falls back to the portable program.
 *
 * <p>Why a program: its attention runs row by row over exactly each row's tokens, with libtorch's
 * fused {@code scaled_dot_product_attention}, which DJL's API does not offer; with the batch packed,
 * no multiply and no attention score is spent on padding, and no mask is needed. One call per layer
 * also replaces some thirty JNI calls.
 *
 * <p>In bf16 the matrices are converted once by {@code to_bf16.pt} (in DJL 0.36, creating or
 * converting to a BFLOAT16 NDArray from Java aborts the JVM; inside a program it works), LayerNorm
 * weights stay fp32, and the residual stream between layers stays fp32.
 */
final class FusedEncoder implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(FusedEncoder.class);

    /** Which layer program runs. */
    enum Route {
        /** {@code encoder_layer_onednn.pt}: every linear through oneDNN, CPU only. */
        ONEDNN("encoder_layer_onednn"),
        /** {@code encoder_layer.pt}: libtorch's default operators, any device. */
        PORTABLE("encoder_layer");

        private final String program;

        Route(String program) {
            this.program = program;
        }

        /** ONEDNN unless {@code -Ddev.reranker.onednn=false} asks for the portable program. */
        static Route preferred() {
            return "false".equalsIgnoreCase(System.getProperty("dev.reranker.onednn")) ? PORTABLE : ONEDNN;
        }
    }

    private final LayerPrograms.Program layer;
    private final Route route;
    private final List<NDList> layerWeights = new ArrayList<>();
    private final NDList scalars;
    private final NDArray allTokens;
    private final NDArray firstTokens;
    private final ParameterStore parameters;

    /**
     * @param layers per layer, its 16 tensors in the order of {@code encoder_layer.pt}'s arguments;
     *     in fp32 they are used as they are (training updates them in place), in bf16 their
     *     matrices are converted and the fp32 copies closed
     */
    FusedEncoder(List<NDList> layers, EncoderConfig config, NDManager manager, boolean bf16, Route preferred) {
        this(layers, config, manager, bf16, preferred == Route.ONEDNN ? Route.ONEDNN.program : null);
    }

    /**
     * @param cpuProgram the program to run on a CPU if it works and agrees with the portable one
     *     (null: the portable one only)
     */
    FusedEncoder(List<NDList> layers, EncoderConfig config, NDManager manager, boolean bf16, String cpuProgram) {
        parameters = new ParameterStore(manager, false);
        LayerPrograms.Program portable = LayerPrograms.load(Route.PORTABLE.program, manager.getDevice());
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
                portable.close();
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
        allTokens = manager.create(0L);
        firstTokens = manager.create(1L);
        LayerPrograms.Program onednn = null;
        if (cpuProgram != null && manager.getDevice().getDeviceType().equals(Device.Type.CPU)
                && !layerWeights.isEmpty()) {
            onednn = agreeing(cpuProgram, portable, manager, config, bf16);
        }
        if (onednn != null) {
            portable.close();
            layer = onednn;
            route = Route.ONEDNN;
        } else {
            layer = portable;
            route = Route.PORTABLE;
        }
    }

    /**
     * The program, if it loads, runs the first layer on two short rows, for every token and for
     * the first tokens only, and agrees with the portable program there (fp32 to 1e-4; bf16, whose
     * two routes round differently, to 0.1); otherwise null, and the reason is logged.
     */
    private LayerPrograms.Program agreeing(String program, LayerPrograms.Program portable, NDManager manager,
            EncoderConfig config, boolean bf16) {
        LayerPrograms.Program candidate = null;
        try (NDManager scope = manager.newSubManager()) {
            candidate = LayerPrograms.load(program, manager.getDevice());
            NDArray x = scope.randomNormal(new Shape(6, config.hiddenSize()));
            NDArray lengths = scope.create(new long[] {2, 4});
            double tolerance = bf16 ? 0.1 : 1e-4;
            for (boolean firstOnly : new boolean[] {false, true}) {
                float[] expected = runLayer(portable, x, lengths, layerWeights.get(0), firstOnly).toFloatArray();
                float[] actual = runLayer(candidate, x, lengths, layerWeights.get(0), firstOnly).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                        throw new IllegalStateException("it gave " + actual[i] + " where the portable program gave "
                                + expected[i]);
                    }
                }
            }
            logger.debug("encoder layers run by {}", program);
            return candidate;
        } catch (RuntimeException e) {
            if (candidate != null) {
                candidate.close();
            }
            String hint = bf16 ? CpuFeatures.whyNoOneDnnBf16().map(why -> "; oneDNN's " + why).orElse("") : "";
            logger.info("the layer program {} is not usable here ({}{}); using the portable one, which is slower on"
                    + " CPUs", program, summary(e.getMessage()), hint);
            logger.debug("the layer program {} failed", program, e);
            return null;
        }
    }

    /**
     * What a TorchScript error says failed, in one line: the last line of {@code message} that names
     * an error ({@code RuntimeError: ...}), which follows the interpreter's traceback; else its first
     * line.
     */
    static String summary(String message) {
        if (message == null) {
            return "no message";
        }
        String[] lines = message.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].matches("\\w*(Error|Exception): .*")) {
                return lines[i].strip();
            }
        }
        return lines[0].strip();
    }

    /** @param firstOnly whether to compute each row's first token only (see {@link #encode}) */
    private NDArray runLayer(LayerPrograms.Program program, NDArray x, NDArray lengths, NDList weights,
            boolean firstOnly) {
        NDList inputs = new NDList(x, lengths);
        inputs.addAll(weights);
        inputs.addAll(scalars);
        inputs.add(firstOnly ? firstTokens : allTokens);
        return program.run(parameters, inputs);
    }

    /** The program that runs the layers. */
    Route route() {
        return route;
    }

    /**
     * Runs every layer.
     *
     * <p>With {@code firstTokensOnly}, the last layer computes keys and values for every token
     * but its query, attention, output projection and feed-forward for each row's first token
     * only: what a classification head on that token reads, for about a sixth of the layer's work.
     *
     * @param x the embeddings of the real tokens of every row, one row after another: [N, H] fp32
     * @param lengths [B] int64: each row's token count, summing to N
     * @param firstTokensOnly whether to return each row's first token only
     * @return the last hidden states in {@code x}'s manager, fp32: [N, H], or with
     *     {@code firstTokensOnly} [B, H]
     */
    NDArray encode(NDArray x, NDArray lengths, boolean firstTokensOnly) {
        NDArray hidden = x;
        for (int l = 0; l < layerWeights.size(); l++) {
            boolean last = l == layerWeights.size() - 1;
            NDArray next = runLayer(layer, hidden, lengths, layerWeights.get(l), firstTokensOnly && last);
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
