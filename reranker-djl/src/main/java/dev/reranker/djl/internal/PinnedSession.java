package dev.reranker.djl.internal;

import dev.reranker.internal.PaddedBatch;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A session whose batches all run on its {@link ModelThread}, whichever thread calls it (see there
 * for why). It owns the thread: closing the session ends it.
 */
public final class PinnedSession implements ModelBackend.Session {

    private final ModelBackend.Session session;
    private final ModelThread thread;

    public PinnedSession(ModelBackend.Session session, ModelThread thread) {
        this.session = session;
        this.thread = thread;
    }

    @Override
    public float[][] logits(PaddedBatch batch) {
        return thread.call(() -> session.logits(batch));
    }

    /**
     * Starts {@code task} on the session's thread, given the session, and returns at once (see
     * {@link ModelThread#submit}).
     */
    public <T> CompletableFuture<T> submit(Function<ModelBackend.Session, T> task) {
        return thread.submit(() -> task.apply(session));
    }

    /** Runs {@code task} on the session's thread (see {@link ModelThread#call}). */
    public <T> T call(Supplier<T> task) {
        return thread.call(task);
    }

    /** Closes the session, then ends its thread. */
    @Override
    public void close() {
        try {
            session.close();
        } finally {
            thread.close();
        }
    }
}
