package dev.reranker.djl.internal;

import dev.reranker.internal.PaddedBatch;

/**
 * A loaded model that turns padded batches into logits. A backend is shared; each {@link Session}
 * is used by one thread at a time (DJL predictors are not thread-safe), so a reranker pools them.
 */
public interface ModelBackend extends AutoCloseable {

    /** A short name for logs: {@code torchscript}, ... */
    String name();

    Session newSession();

    /**
     * Whether a batch runs without its padding (rows packed one after another), so that a batch
     * costs its real tokens, not rows times its longest pair; batches are then cut accordingly.
     */
    default boolean packsBatches() {
        return false;
    }

    @Override
    void close();

    /** One thread's handle on the model. */
    interface Session extends AutoCloseable {

        /** Logits, {@code rows x labels}; the batch's native memory is freed before this returns. */
        float[][] logits(PaddedBatch batch);

        @Override
        void close();
    }
}
