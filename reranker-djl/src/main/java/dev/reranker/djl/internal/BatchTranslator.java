package dev.reranker.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import dev.reranker.internal.PaddedBatch;

/**
 * Feeds a padded batch to a model as positional int64 {@code input_ids, attention_mask[,
 * token_type_ids]} and copies the logits out to a Java array. The tensors live in the predictor's
 * per-call {@link NDManager}, so each batch's native memory is freed when the call returns.
 */
final class BatchTranslator implements NoBatchifyTranslator<PaddedBatch, float[][]> {

    private final boolean tokenTypes;

    BatchTranslator(boolean tokenTypes) {
        this.tokenTypes = tokenTypes;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, PaddedBatch batch) {
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(batch.rows(), batch.length());
        NDList inputs = new NDList(
                manager.create(batch.inputIds(), shape), manager.create(batch.attentionMask(), shape));
        if (tokenTypes) {
            inputs.add(manager.create(batch.tokenTypeIds(), shape));
        }
        return inputs;
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray logits = outputs.get(0);
        long[] shape = logits.getShape().getShape();
        int rows = (int) shape[0];
        int labels = shape.length == 1 ? 1 : (int) (logits.size() / rows);
        float[] flat = logits.toType(DataType.FLOAT32, false).toFloatArray();
        float[][] out = new float[rows][labels];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * labels, out[r], 0, labels);
        }
        return out;
    }
}
