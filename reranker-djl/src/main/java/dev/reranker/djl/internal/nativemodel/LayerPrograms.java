package dev.reranker.djl.internal.nativemodel;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The TorchScript programs shipped in this jar: {@code encoder_layer} (one encoder layer, fp32 or
 * bf16) and {@code to_bf16} (a cast). Made by {@code reranker-djl/scripts/make_layer_programs.py}.
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

    /** Loads {@code encoder_layer} or {@code to_bf16} onto a device. */
    public static Program load(String name, Device device) {
        Path dir;
        try {
            dir = Files.createTempDirectory("reranker-" + name);
            Path file = dir.resolve(name + ".pt");
            try (InputStream in = LayerPrograms.class.getResourceAsStream(name + ".pt")) {
                if (in == null) {
                    throw new RerankerException("the TorchScript program " + name + ".pt is missing from the reranker-djl jar");
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new RerankerException("could not unpack the TorchScript program " + name + ".pt to a temporary directory: "
                    + e.getMessage(), e);
        }
        Model model = Model.newInstance(name, device, "PyTorch");
        try {
            model.load(dir, name);
            return new Program(model);
        } catch (Exception e) {
            model.close();
            throw new RerankerException("could not load the TorchScript program " + name + ".pt: " + e.getMessage(), e);
        }
    }
}
