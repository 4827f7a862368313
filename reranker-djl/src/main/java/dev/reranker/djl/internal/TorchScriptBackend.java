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

    private TorchScriptBackend(Model model, Device device, boolean tokenTypes) {
        this.model = model;
        this.device = device;
        this.tokenTypes = tokenTypes;
    }

    public static TorchScriptBackend load(Path directory, Device device, boolean tokenTypes) {
        Path file = directory.resolve("model.pt");
        if (!Files.isRegularFile(file)) {
            throw new RerankerException("no model.pt in " + directory
                    + "; expected a TorchScript module traced with inputs (input_ids, attention_mask"
                    + (tokenTypes ? ", token_type_ids" : "") + "), see the README's 'Preparing a model'");
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
        return new TorchScriptBackend(model, device, tokenTypes);
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
                try {
                    return predictor.predict(batch);
                } catch (TranslateException | RuntimeException e) {
                    throw new RerankerException("the model failed on a batch of " + batch.rows() + " pairs of "
                            + batch.length() + " tokens: " + e.getMessage(), e);
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
