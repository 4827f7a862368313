package dev.reranker.djl.internal;

import dev.reranker.RerankerException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A thread of its own that runs a model's native work, one task at a time, for whichever thread
 * asks: loading the model, then every batch of one predictor.
 *
 * <p>Why one thread, for two reasons measured on the MiniLM shape (see the README's Threading and
 * lifecycle):
 * <ul>
 *   <li>Memory: glibc's malloc gives each thread an arena and, as the library tunes it (see
 *   {@link NativeMemory}), an arena keeps the peak of what its threads allocated. A batch allocates
 *   its tensors on the thread that runs it, so batches run on a server's request threads would grow
 *   a peak-sized heap in every arena those threads use (glibc makes up to 8 per core).</li>
 *   <li>Speed: libtorch runs its parallel loops on OpenMP, which gives every thread that starts one
 *   a team of workers of its own. Once a process has more such threads than cores, OpenMP's
 *   workers stop spinning between loops and sleep, and each loop waits for them to wake: loading on
 *   one thread and scoring on another was about 15% slower than doing both on one.</li>
 * </ul>
 *
 * <p>After each task, without keeping its caller waiting, the thread faults in the pages malloc has
 * come to hold for its arena ({@link ArenaPages}, at most once a second), so that the process's
 * resident size reaches its working size during warm-up rather than creeping up to it later.
 *
 * <p>The caller of {@link #call} waits for its task; {@link #submit} returns at once. An interrupt
 * does not stop a task (native code runs to its end): the caller still gets the result, with its
 * interrupt flag set again. What the task throws reaches the caller unchanged.
 */
public final class ModelThread implements AutoCloseable {

    private final ExecutorService executor;
    /** Used only on the thread; null when malloc keeps nothing for it to fault in. */
    private final ArenaPages pages = ArenaPages.ifMallocTuned();

    /** @param name the thread's name, for thread dumps and profilers; it starts with the first task */
    public ModelThread(String name) {
        executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true); // a reranker left open must not keep the JVM alive
            return thread;
        });
    }

    /** Runs {@code task} on this thread and returns what it returns, or throws what it throws. */
    public <T> T call(Supplier<T> task) {
        Future<T> result = executor.submit(task::get);
        try {
            executor.execute(this::refreshPages); // after the task, without keeping its caller waiting
        } catch (RejectedExecutionException closing) {
            // close() came between the two: the task still runs and its caller still gets its result
        }
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

    /**
     * Starts {@code task} on this thread and returns at once; the future completes with what it
     * returns or throws, on this thread.
     *
     * @throws RejectedExecutionException once the thread is closed
     */
    public <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable e) { // to the future's waiter, whatever it is
                result.completeExceptionally(e);
            }
        });
        try {
            executor.execute(this::refreshPages);
        } catch (RejectedExecutionException closing) {
            // as in call
        }
        return result;
    }

    /** Runs on the thread: faults in what malloc has come to hold for it (see {@link ArenaPages}). */
    private void refreshPages() {
        if (pages != null) {
            pages.refresh();
        }
    }

    private static RuntimeException unwrapped(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RerankerException("the model's thread failed: " + cause, cause);
    }

    /** Ends the thread once its task, if any, is done; takes no more tasks. */
    @Override
    public void close() {
        executor.shutdown();
    }

    /** Whether the thread has ended, within the wait given; for tests. */
    boolean ended(long millis) throws InterruptedException {
        return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
