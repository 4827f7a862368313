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
