package dev.reranker.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;

import dev.reranker.RerankerException;
import dev.reranker.internal.PaddedBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * ModelThread, and PinnedSession on it, run every batch on one thread of its own. The wrapped
 * session here is a stand-in that records where it ran; the real one is exercised through
 * DjlReranker by every reranker test.
 */
final class ModelThreadTest {

    /** A session that answers with {@code answer} and records the threads it ran on. */
    private static final class Recording implements ModelBackend.Session {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final Function<PaddedBatch, float[][]> answer;
        volatile boolean closed;

        Recording(Function<PaddedBatch, float[][]> answer) {
            this.answer = answer;
        }

        @Override
        public float[][] logits(PaddedBatch batch) {
            threads.add(Thread.currentThread());
            return answer.apply(batch);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static PaddedBatch batch(int rows) {
        return new PaddedBatch(rows, 1, new long[rows], new long[rows], new long[rows]);
    }

    @Test
    void batchesFromManyCallers_allRunOnTheSessionsOwnThread() throws Exception {
        Recording inner = new Recording(b -> new float[b.rows()][1]);
        ModelThread thread = new ModelThread("test-predictor");
        PinnedSession session = new PinnedSession(inner, thread);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                int rows = i;
                results.add(callers.submit(() -> session.logits(batch(rows))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i + 1, results.get(i).get().length);
            }
        } finally {
            callers.shutdownNow();
            session.close();
        }
        assertEquals(1, inner.threads.size(), inner.threads.toString());
        Thread own = inner.threads.iterator().next();
        assertEquals("test-predictor", own.getName());
        assertTrue(own.isDaemon());
        assertTrue(inner.closed);
        assertTrue(thread.ended(10_000), "the session's thread ends when it is closed");
    }

    @Test
    void whatTheBatchThrows_reachesTheCallerUnchanged_andTheSessionKeepsWorking() {
        RerankerException failure = new RerankerException("the model failed on this batch");
        Recording inner = new Recording(b -> {
            if (b.rows() == 2) {
                throw failure;
            }
            return new float[b.rows()][1];
        });
        try (PinnedSession session = new PinnedSession(inner, new ModelThread("test-predictor"))) {
            assertSame(failure, assertThrows(RerankerException.class, () -> session.logits(batch(2))));
            OutOfMemoryError error = new OutOfMemoryError("native");
            Recording erring = new Recording(b -> {
                throw error;
            });
            try (PinnedSession other = new PinnedSession(erring, new ModelThread("test-predictor-2"))) {
                assertSame(error, assertThrows(OutOfMemoryError.class, () -> other.logits(batch(1))));
            }
            assertEquals(3, session.logits(batch(3)).length);
        }
    }

    @Test
    void anInterruptedCaller_stillGetsItsBatch_andKeepsItsInterrupt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recording inner = new Recording(b -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError("the batch's own thread was interrupted", e);
            }
            return new float[b.rows()][1];
        });
        try (PinnedSession session = new PinnedSession(inner, new ModelThread("test-predictor"))) {
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<Boolean> interruptedAfter = caller.submit(() -> {
                    float[][] logits = session.logits(batch(4));
                    return logits.length == 4 && Thread.currentThread().isInterrupted();
                });
                assertTrue(started.await(10, TimeUnit.SECONDS));
                caller.shutdownNow(); // interrupts the caller while its batch runs
                Thread.sleep(50);
                assertFalse(interruptedAfter.isDone(), "the caller waits for its batch");
                release.countDown();
                assertTrue(interruptedAfter.get(10, TimeUnit.SECONDS));
            } finally {
                release.countDown();
                caller.shutdownNow();
            }
        }
    }

    @Test
    void call_returnsTheTasksValue_onTheSameThreadEachTime() {
        try (ModelThread thread = new ModelThread("test-model-thread")) {
            Thread first = thread.call(Thread::currentThread);
            assertEquals("test-model-thread", first.getName());
            assertSame(first, thread.call(Thread::currentThread));
            IllegalArgumentException bad = new IllegalArgumentException("maxLength must be at most 512");
            assertSame(bad, assertThrows(IllegalArgumentException.class, () -> thread.call(() -> {
                throw bad;
            })));
            assertSame(first, thread.call(Thread::currentThread), "a failed task leaves the thread working");
        }
    }

    @Test
    void pagesMallocHoldsForTheThread_areFaultedIn_beforeItsNextTask() {
        assumeTrue(NativeMemory.tuned(), "the library tunes glibc's malloc here: " + NativeMemory.state());
        try (ModelThread thread = new ModelThread("test-model-thread")) {
            long[] block = thread.call(() -> ArenaPagesTest.blockWithoutPages(24L << 20));
            long pages = (block[2] - block[1]) / 4096;
            long resident = thread.call(() -> {
                long now = ArenaPagesTest.residentPages(block);
                Native.free(block[0]);
                return now;
            });
            assertEquals(pages, resident);
        }
    }
}
