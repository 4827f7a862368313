package dev.reranker.djl.internal.nativemodel;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

import dev.reranker.RerankerException;

import java.io.InputStream;

/**
 * The TorchScript programs shipped in this jar: {@code encoder_layer} and
 * {@code encoder_layer_onednn} (one encoder layer, fp32 or bf16; see {@code FusedEncoder}) and
 * {@code to_bf16} (a cast). Made by {@code reranker-djl/scripts/make_layer_programs.py}.
 */
public final class LayerPrograms {

    private LayerPrograms() {}

    /** A loaded program; thread-safe (TorchScript's forward does not mutate the module). */
    public static final class Program implements AutoCloseable {
        private final Model model;

        private Program(Model model) {
            this.model = model;
        }

        /** Runs the program; its single output is attached to the first input's manager. */
        public NDArray run(ParameterStore parameters, NDList inputs) {
            return model.getBlock().forward(parameters, inputs, false).singletonOrThrow();
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * Loads {@code encoder_layer}, {@code encoder_layer_onednn} or {@code to_bf16} onto a device,
     * straight from the jar: no file is unpacked, so nothing is left in the temporary directory.
     */
    public static Program load(String name, Device device) {
        return load(LayerPrograms.class, name, device);
    }

    /** Loads the program {@code name.pt} that sits beside {@code owner} in its jar. */
    public static Program load(Class<?> owner, String name, Device device) {
        Model model = Model.newInstance(name, device, "PyTorch");
        try (InputStream in = owner.getResourceAsStream(name + ".pt")) {
            if (in == null) {
                throw new RerankerException("the TorchScript program " + name + ".pt is missing from the jar of "
                        + owner.getName());
            }
            model.load(in);
            return new Program(model);
        } catch (RerankerException e) {
            model.close();
            throw e;
        } catch (Exception e) {
            model.close();
            throw new RerankerException("could not load the TorchScript program " + name + ".pt: " + e.getMessage(), e);
        }
    }
}
