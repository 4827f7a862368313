package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.ScoreMode;
import dev.reranker.djl.internal.Engines;

import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

/**
 * One native reranker shared by many threads: its sessions share the loaded weights, and each
 * batch runs in its own sub-manager, so concurrent calls must not disturb each other.
 */
final class NativeThreadsTest {

    @Test
    void manyThreads_sharingOneReranker_getTheSequentialScores() throws Exception {
        List<List<String>> lists = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<String> docs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                docs.add("list " + t + " document " + i + " search engine".repeat(1 + (i * 5 + t) % 13));
            }
            lists.add(docs);
        }
        try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(Fixtures.XLMR)).scoreMode(ScoreMode.RAW)
                .predictors(3).batchSize(5).build()) {
            List<float[]> sequential = new ArrayList<>();
            for (List<String> docs : lists) {
                sequential.add(reranker.score("what is a search engine?", docs));
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int call = 0; call < 24; call++) {
                    List<String> docs = lists.get(call % lists.size());
                    futures.add(pool.submit(() -> reranker.score("what is a search engine?", docs)));
                }
                for (int call = 0; call < futures.size(); call++) {
                    assertArrayEquals(sequential.get(call % lists.size()), futures.get(call).get(), 1e-5f, "call " + call);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Set<Thread> predictorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches("reranker-\\d+-predictor-\\d+"))
                .collect(Collectors.toSet());
    }

    @Test
    void eachPredictor_hasAThreadOfItsOwn_thatEndsWithTheReranker() throws Exception {
        Set<Thread> before = predictorThreads();
        DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).predictors(2).build();
        Set<Thread> mine;
        try {
            reranker.score("what is a search engine?", List.of("a search engine finds pages", "a recipe"));
            mine = predictorThreads();
            mine.removeAll(before);
            assertEquals(Set.of("-predictor-0", "-predictor-1"),
                    mine.stream().map(t -> t.getName().replaceFirst("^reranker-\\d+", "")).collect(Collectors.toSet()));
            assertTrue(mine.stream().allMatch(Thread::isDaemon), "an unclosed reranker must not keep the JVM alive");
        } finally {
            reranker.close();
        }
        for (Thread thread : mine) {
            thread.join(10_000);
            assertFalse(thread.isAlive(), thread.getName() + " still runs after close()");
        }
    }

    @Test
    void predictorsThreads_recordNoAutogradGraph_evenWhenTheEngineStartedElsewhere() {
        // The first reranker of the JVM starts DJL's engine, which turns autograd off on that thread
        // only; a later one's threads must turn it off themselves.
        for (int i = 0; i < 2; i++) {
            try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).predictors(2).build()) {
                assertTrue(reranker.predictorsRecordNoGraph());
            }
        }
    }

    private static <T> T onNewThread(Callable<T> task) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(task).get();
        } finally {
            thread.shutdown();
        }
    }

    @Test
    void byDefault_twoPredictorsShareLibtorchsThreads_andOtherThreadsKeepTheDefault() throws Exception {
        Engines.pytorch();
        int threads = onNewThread(JniUtils::getNumThreads);
        try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).build()) {
            List<Integer> expected = threads >= 2 ? List.of(threads / 2, threads / 2) : List.of(threads);
            assertEquals(expected, reranker.predictorsIntraOpThreads(), reranker.toString());
            assertEquals(threads, onNewThread(JniUtils::getNumThreads), "the default for threads not the reranker's");
        }
        try (DjlReranker one = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).predictors(1).build()) {
            assertEquals(List.of(threads), one.predictorsIntraOpThreads());
        }
    }

    @Test
    void predictors_shareOneCall_andScoreAsOne() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add("document " + i + " search engine".repeat(1 + (i * 7) % 11));
        }
        try (DjlReranker one = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).predictors(1).build();
                DjlReranker two = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).predictors(2).build()) {
            long oneBefore = one.batchesRun();
            float[] expected = one.score("what is a search engine?", docs);
            assertEquals(1, one.batchesRun() - oneBefore, "the call fits one batch");
            long before = two.batchesRun();
            assertArrayEquals(expected, two.score("what is a search engine?", docs), 1e-5f);
            assertTrue(two.batchesRun() - before >= 2, "a batch for each predictor at least");
        }
    }
}
