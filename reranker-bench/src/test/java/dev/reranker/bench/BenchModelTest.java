package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import dev.reranker.ScoreMode;
import dev.reranker.djl.Backend;
import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.internal.DjlRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated models' synthetic tokenizers, read by the Rust tokenizers library DJL ships: every
 * word is one token, so the workloads' pairs have the lengths they claim.
 */
final class BenchModelTest {

    @TempDir
    Path temp;

    @BeforeAll
    static void offline() {
        DjlRuntime.keepOffline();
    }

    private HuggingFaceTokenizer tokenizer(BenchModel model) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(model.id));
        model.writeTokenizer(dir);
        return HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                Map.of("truncation", "false", "padding", "false"));
    }

    @ParameterizedTest
    @EnumSource(BenchModel.class)
    void tokenizer_everyWordOfTheVocabulary_isOneToken(BenchModel model) throws Exception {
        List<String> words = new ArrayList<>();
        long[] expected = new long[model.vocab - BenchModel.FIRST_WORD];
        for (int i = BenchModel.FIRST_WORD; i < model.vocab; i++) {
            words.add("w" + i);
            expected[i - BenchModel.FIRST_WORD] = i;
        }
        try (HuggingFaceTokenizer tokenizer = tokenizer(model)) {
            assertArrayEquals(expected, tokenizer.encode(String.join(" ", words), false, false).getIds());
        }
    }

    @Test
    void tokenizer_bert_pairIsClsQuerySepDocumentSep_typesZeroThenOne() throws Exception {
        try (HuggingFaceTokenizer tokenizer = tokenizer(BenchModel.MINILM_L6)) {
            Encoding pair = tokenizer.encode("w5 W6", "w7", true, false); // lower-cased by BertNormalizer
            assertArrayEquals(new long[] {2, 5, 6, 3, 7, 3}, pair.getIds());
            assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1}, pair.getTypeIds());
        }
    }

    @Test
    void tokenizer_xlmRoberta_pairIsSQuerySSDocumentS_typesZero() throws Exception {
        try (HuggingFaceTokenizer tokenizer = tokenizer(BenchModel.XLMR_BASE)) {
            Encoding pair = tokenizer.encode("w5 w6", "w7", true, false);
            assertArrayEquals(new long[] {0, 5, 6, 2, 2, 7, 2}, pair.getIds());
            assertArrayEquals(new long[7], pair.getTypeIds()); // type_vocab_size 1: all 0
        }
    }

    @ParameterizedTest
    @EnumSource(BenchModel.class)
    void workloads_pairTokens_areWhatTheTokenizerMakes(BenchModel model) throws Exception {
        try (HuggingFaceTokenizer tokenizer = tokenizer(model)) {
            for (String name : new String[] {"mixed", "uniform-128", "short"}) {
                Workload workload = Workload.of(name, model, 16);
                int[] claimed = workload.pairTokens();
                for (int i = 0; i < claimed.length; i++) {
                    int tokens = tokenizer.encode(workload.query(), workload.documents().get(i), true, false)
                            .getIds().length;
                    assertEquals(Math.min(512, tokens), claimed[i], name + " pair " + i);
                    if (name.equals("uniform-128")) {
                        assertEquals(128, tokens);
                    }
                }
            }
        }
    }

    @Test
    void mixedWorkload_hasTheLengthsItPromises() {
        Workload mixed = Workload.of("mixed", BenchModel.MINILM_L6, 0);
        int[] tokens = mixed.pairTokens();
        assertEquals(100, tokens.length);
        long truncated = java.util.Arrays.stream(tokens).filter(t -> t == 512).count();
        assertTrue(truncated >= 1 && truncated <= 12, "pairs cut to 512: " + truncated);
        int[] sorted = tokens.clone();
        java.util.Arrays.sort(sorted);
        int median = sorted[50];
        assertTrue(median > 90 && median < 180, "median pair length " + median);
    }

    @Test
    void shortWorkload_hasTheLengthsItPromises() {
        int[] tokens = Workload.of("short", BenchModel.MINILM_L6, 0).pairTokens();
        assertEquals(100, tokens.length);
        for (int t : tokens) {
            assertTrue(t >= 3 + 10 + 24 && t <= 3 + 10 + 40, "pair length " + t);
        }
    }

    @Test
    void workload_otherSeed_otherTextsAndLengths_sameKind() {
        Vocabulary vocabulary = Vocabulary.of(BenchModel.MINILM_L6);
        Workload first = Workload.of("mixed", vocabulary, 0);
        assertArrayEquals(first.pairTokens(), Workload.of("mixed", vocabulary, 0, Workload.SEED).pairTokens());
        Workload next = Workload.of("mixed", vocabulary, 0, Workload.SEED + 1);
        assertEquals(first.documents().size(), next.documents().size());
        assertNotEquals(first.query(), next.query());
        assertFalse(java.util.Arrays.equals(first.pairTokens(), next.pairTokens()));
    }

    /**
     * Through the library: a uniform-128 pair scores the same with maxLength 128 as untruncated,
     * and differently with maxLength 127, so it is exactly 128 tokens as the library counts them.
     */
    @Test
    void uniformPair_isExactly128Tokens_throughTheReranker() throws Exception {
        System.setProperty("bench.models.dir", temp.resolve("models").toString());
        try {
            Path dir = BenchModel.TINY.directory();
            Workload uniform = Workload.of("uniform-128", BenchModel.TINY, 1);
            float untruncated = score(dir, 512, uniform);
            assertEquals(untruncated, score(dir, 128, uniform));
            assertNotEquals(untruncated, score(dir, 127, uniform));
        } finally {
            System.clearProperty("bench.models.dir");
        }
    }

    private static float score(Path dir, int maxLength, Workload workload) {
        try (DjlReranker reranker = DjlReranker.builder().model(dir).backend(Backend.NATIVE)
                .scoreMode(ScoreMode.RAW).maxLength(maxLength).build()) {
            return reranker.score(workload.query(), workload.documents())[0];
        }
    }

    @Test
    void effectiveFlops_followTheFormula() {
        EncoderShape shape = BenchModel.MINILM_L6.shape();
        // One 128-token pair, per layer: 2*128*(4*384^2 + 2*384*1536) + 4*128^2*384; 6 layers.
        double perLayer = 2.0 * 128 * (4.0 * 384 * 384 + 2.0 * 384 * 1536) + 4.0 * 128 * 128 * 384;
        assertEquals(6 * perLayer, shape.flops(128), 1);
        Workload uniform = Workload.of("uniform-128", BenchModel.MINILM_L6, 64);
        assertEquals(64 * 6 * perLayer, Workload.effectiveFlops(shape, uniform), 64);
    }
}
