package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.RerankerException;
import dev.reranker.WindowAggregation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Awkward text, huge inputs, many threads and failed calls. */
final class RobustnessTest {

    private static final String QUERY = "what is a panda?";
    private static DjlReranker bert;
    private static DjlReranker xlmr;

    @BeforeAll
    static void load() {
        bert = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT_TORCHSCRIPT)).predictors(2).build();
        xlmr = DjlReranker.builder().model(Fixtures.dir(Fixtures.XLMR_TORCHSCRIPT)).build();
    }

    @AfterAll
    static void close() {
        bert.close();
        xlmr.close();
    }

    private static void assertAllFinite(float[] scores, int expected) {
        assertEquals(expected, scores.length);
        for (float s : scores) {
            assertTrue(Float.isFinite(s) && s >= 0 && s <= 1, "score " + s);
        }
    }

    @Test
    void awkwardText_isScoredWithoutError() {
        List<String> docs = List.of(
                "control\u0000chars\u0001\u0007\u001b[31m\t\r\n end",
                "lone high \uD83D surrogate", "lone low \uDE00 surrogate", "\uDE00\uD83D",
                "emoji 🐼🐧👍🏽‍🔥 and flags 🇫🇷",
                "熊猫是熊科动物，生活在中国。パンダは中国に住んでいる。판다",
                "zero\u200bwidth \ufeff bom \uFFFF noncharacter",
                "right-to-left עברית العربية",
                "   ",
                "\n\n\n");
        assertAllFinite(bert.score(QUERY, docs), docs.size());
        assertAllFinite(xlmr.score(QUERY, docs), docs.size());
        assertAllFinite(xlmr.score("🐼\uD800 query", docs), docs.size());
    }

    @Test
    void loneSurrogate_scoresAsTheReplacementCharacter() {
        assertArrayEquals(xlmr.score(QUERY, List.of("a \uFFFD b")), xlmr.score(QUERY, List.of("a \uD800 b")));
    }

    @Test
    void oneMegabyteDocument_isScored() {
        StringBuilder b = new StringBuilder(1 << 20);
        while (b.length() < (1 << 20)) {
            b.append("the giant panda is a bear native to south central china. ");
        }
        String huge = b.toString();
        assertAllFinite(bert.score(QUERY, List.of(huge, "short")), 2);
        assertAllFinite(xlmr.score(QUERY, List.of(huge)), 1);
        try (DjlReranker windows = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT_TORCHSCRIPT))
                .slidingWindows(WindowAggregation.MAX, 8).batchSize(64).build()) {
            assertAllFinite(windows.score(QUERY, List.of(huge.substring(0, 20_000))), 1);
        }
    }

    @Test
    void tenThousandDocuments_inOneCall() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            docs.add("document number " + i + (i % 2 == 0 ? " about pandas and bamboo" : " about penguins"));
        }
        long before = bert.batchesRun();
        float[] scores = bert.score(QUERY, docs);
        assertAllFinite(scores, docs.size());
        // Batches of 32 whatever the list's size: the tensors are bounded by the batch.
        assertEquals((10_000 + 31) / 32, bert.batchesRun() - before);
        assertEquals(bert.score(QUERY, List.of(docs.get(9_999)))[0], scores[9_999], 1e-5);
    }

    @Test
    void emptyList_doesNotRunTheModel() {
        long before = bert.batchesRun();
        assertEquals(0, bert.score(QUERY, List.of()).length);
        assertEquals(before, bert.batchesRun());
    }

    @Test
    void eightThreads_giveExactlyTheSequentialScores() throws Exception {
        List<List<String>> inputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<String> docs = new ArrayList<>();
            for (int j = 0; j <= i * 3; j++) {
                docs.add("thread " + i + " document " + j + " pandas ".repeat(j % 5));
            }
            inputs.add(docs);
        }
        float[][] sequential = new float[8][];
        for (int i = 0; i < 8; i++) {
            sequential[i] = bert.score(QUERY, inputs.get(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int call = 0; call < 200; call++) {
                        int which = (thread + call) % 8;
                        float[] scores = bert.score(QUERY, inputs.get(which));
                        if (!Arrays.equals(sequential[which], scores)) {
                            throw new AssertionError("thread " + thread + " call " + call + " differs");
                        }
                    }
                    return 200;
                }));
            }
            int calls = 0;
            for (Future<Integer> f : results) {
                calls += f.get();
            }
            assertEquals(1600, calls);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterAFailedCall_theRerankerStillWorks() {
        float[] expected = xlmr.score(QUERY, List.of("pandas", "penguins"));
        assertThrows(NullPointerException.class, () -> xlmr.score(QUERY, Arrays.asList("pandas", null)));
        assertArrayEquals(expected, xlmr.score(QUERY, List.of("pandas", "penguins")));

        // Interrupted while waiting for a predictor: the call fails and gives its predictor back.
        Thread.currentThread().interrupt();
        try {
            RerankerException e = assertThrows(RerankerException.class, () -> xlmr.score(QUERY, List.of("pandas")));
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(expected, xlmr.score(QUERY, List.of("pandas", "penguins")));
    }

    @Test
    void afterTheModelFailsMidCall_theRerankerStillWorks(@TempDir Path temp) throws IOException {
        // A tokenizer that does not belong to the model: XLM-R's ids run past BERT's 240-word
        // vocabulary, so libtorch's embedding lookup fails on some documents and not on others.
        Path dir = Fixtures.copy(Fixtures.BERT_TORCHSCRIPT, temp.resolve("mismatched"));
        Path xlmrDir = Fixtures.dir(Fixtures.XLMR_TORCHSCRIPT);
        for (String file : new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
            Files.copy(xlmrDir.resolve(file), dir.resolve(file),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        try (DjlReranker mismatched = DjlReranker.builder().model(dir).build()) {
            List<String> fine = List.of("a");
            float[] before = mismatched.score("a", fine);
            RerankerException e = assertThrows(RerankerException.class,
                    () -> mismatched.score(QUERY, List.of("the giant panda is a bear native to china")));
            assertTrue(e.getMessage().contains("the model failed"), e.getMessage());
            assertArrayEquals(before, mismatched.score("a", fine));
        }
    }
}
