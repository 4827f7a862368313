package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import dev.reranker.djl.internal.DjlRuntime;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Workloads on a real model directory ({@code -p model=/some/dir}): words found in its own vocabulary. */
final class VocabularyTest {

    private static final Path FIXTURES = Path.of("../reranker-djl/src/test/resources/fixtures");

    @ParameterizedTest
    @CsvSource({"tiny-bert, 3", "tiny-xlmr, 4"})
    void probe_realTokenizer_findsOneTokenWords_andWorkloadLengthsHold(String fixture, int specialTokens)
            throws Exception {
        Path dir = FIXTURES.resolve(fixture);
        Vocabulary vocabulary = Vocabulary.probe(dir);
        assertEquals(specialTokens, vocabulary.specialTokens());
        assertTrue(vocabulary.words().size() >= 20, vocabulary.words().toString());
        DjlRuntime.keepOffline();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                Map.of("truncation", "false", "padding", "false"))) {
            for (String name : new String[] {"mixed", "uniform-128", "short"}) {
                Workload workload = Workload.of(name, vocabulary, 8);
                int[] claimed = workload.pairTokens();
                for (int i = 0; i < claimed.length; i++) {
                    int tokens = tokenizer.encode(workload.query(), workload.documents().get(i), true, false)
                            .getIds().length;
                    assertEquals(claimed[i], Math.min(512, tokens), fixture + " " + name + " pair " + i);
                }
            }
        }
    }
}
