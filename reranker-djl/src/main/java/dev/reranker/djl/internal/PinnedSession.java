package dev.reranker.djl.internal;

import dev.reranker.RerankerException;
import dev.reranker.internal.PaddedBatch;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A session whose batches all run on one thread of its own, whichever thread calls it.
 *
 * <p>Why: glibc's malloc gives each thread an arena and, as the library tunes it (see
 * {@link NativeMemory}), an arena keeps the peak of what its threads allocated. A batch allocates
 * its tensors on the thread that runs it, so a reranker called from a server's request threads
 * would grow a peak-sized heap in every arena those threads use (glibc makes up to 8 per core) and
 * start each one cold, paying its page faults again. On one thread per session, the batches reuse
 * one arena's memory.
 *
 * <p>The caller waits for its batch. An interrupt does not stop a batch (native code runs to its
 * end): the caller still gets the result, with its interrupt flag set again. What the batch
 * throws reaches the caller unchanged.
 */
public final class PinnedSession implements ModelBackend.Session {

    private final ModelBackend.Session session;
    private final ExecutorService thread;

    /** @param name the thread's name, for thread dumps and profilers */
    public PinnedSession(ModelBackend.Session session, String name) {
        this.session = session;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true); // a reranker left open must not keep the JVM alive
            return t;
        });
    }

    @Override
    public float[][] logits(PaddedBatch batch) {
        Future<float[][]> result = thread.submit(() -> session.logits(batch));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw unwrapped(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException unwrapped(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RerankerException("the batch failed: " + cause, cause);
    }

    /** Closes the session, then ends its thread (at once: no batch runs once the reranker closes). */
    @Override
    public void close() {
        try {
            session.close();
        } finally {
            thread.shutdown();
        }
    }

    /** Whether the thread has ended, within the wait given; for tests. */
    boolean ended(long millis) throws InterruptedException {
        return thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
