package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.reranker.ScoreMode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
}
