package dev.reranker.djl.internal;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;

import dev.reranker.RerankerException;
import dev.reranker.internal.PaddedBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A TorchScript {@code model.pt} (DJL's convention for PyTorch models) traced with positional
 * inputs {@code input_ids, attention_mask[, token_type_ids]} that returns logits first.
 */
public final class TorchScriptBackend implements ModelBackend {

    private final Model model;
    private final Device device;
    private final boolean tokenTypes;
    private final RowSlices slices;

    private TorchScriptBackend(Model model, Device device, boolean tokenTypes, RowSlices slices) {
        this.model = model;
        this.device = device;
        this.tokenTypes = tokenTypes;
        this.slices = slices;
    }

    /** @param slices how to cut big batches, from config.json's dimensions when it has them */
    public static TorchScriptBackend load(Path directory, Device device, boolean tokenTypes, RowSlices slices) {
        Path file = directory.resolve("model.pt");
        if (!Files.isRegularFile(file)) {
            throw new RerankerException("no model.pt in " + directory
                    + "; expected a TorchScript module traced with inputs (input_ids, attention_mask"
                    + (tokenTypes ? ", token_type_ids" : "") + "), see the README's 'Supported models'");
        }
        Model model = Engines.newModel(device);
        try {
            // mapLocation: a module traced on a GPU still loads on the chosen device.
            model.load(directory, "model", Map.of("mapLocation", "true"));
        } catch (Exception e) {
            model.close();
            throw new RerankerException("could not load " + file + " as a TorchScript module: " + e.getMessage()
                    + "; re-export it with torch.jit.trace and torch.jit.save", e);
        }
        return new TorchScriptBackend(model, device, tokenTypes, slices);
    }

    @Override
    public String name() {
        return "torchscript";
    }

    @Override
    public Session newSession() {
        Predictor<PaddedBatch, float[][]> predictor = model.newPredictor(new BatchTranslator(tokenTypes), device);
        return new Session() {
            @Override
            public float[][] logits(PaddedBatch batch) {
                return slices.run(batch, this::predict);
            }

            private float[][] predict(PaddedBatch slice) {
                try {
                    return predictor.predict(slice);
                } catch (TranslateException | RuntimeException e) {
                    throw new RerankerException("the model failed on a batch of " + slice.rows() + " pairs of "
                            + slice.length() + " tokens: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                predictor.close();
            }
        };
    }

    @Override
    public void close() {
        model.close();
    }
}
