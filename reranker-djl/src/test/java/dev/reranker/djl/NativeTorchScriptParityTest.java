package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.ScoreMode;
import dev.reranker.Truncation;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The native backend and TorchScript compute the same model: the TorchScript twins hold the same
 * weights, so raw logits agree on any input, not only on the reference cases.
 */
final class NativeTorchScriptParityTest {

    private static final double TOLERANCE = 1e-4;

    private static final List<String> QUERIES = List.of(
            "what is the capital of France?",
            "熊猫是什么",
            "a very long query that keeps going with many words about search engines and relevance and ranking "
                    + "and models and documents and tokens and more words still");

    private static List<String> documents() {
        List<String> docs = new ArrayList<>(List.of(
                "Paris is the most populous city in France",
                "Lyon is a major city in eastern France",
                "",
                "a",
                "熊猫是一种熊",
                "UPPER case   and   extra   spaces",
                "punctuation!!! ... (and) \"quotes\" ; colons: 42 3.14",
                "the giant panda is a bear native to south central china"));
        docs.add("search engine ranks relevant documents ".repeat(40).trim()); // far past 64 tokens
        docs.add("what is a panda? ".repeat(25).trim());
        for (int i = 1; i <= 20; i++) { // a spread of lengths, so batches mix short and long
            docs.add("java library number " + i + " " + "ranks text ".repeat(i));
        }
        return docs;
    }

    @ParameterizedTest
    @CsvSource({"tiny-bert, tiny-bert-torchscript", "tiny-xlmr, tiny-xlmr-torchscript"})
    void rawLogits_agreeWithTorchScript(String nativeFixture, String torchScriptFixture) {
        for (Truncation truncation : Truncation.values()) {
            for (int maxLength : new int[] {64, 24}) {
                try (DjlReranker nativeModel = build(nativeFixture, truncation, maxLength, 8);
                        DjlReranker torchScript = build(torchScriptFixture, truncation, maxLength, 8)) {
                    assertTrue(nativeModel.toString().contains("backend=native"), nativeModel.toString());
                    assertTrue(torchScript.toString().contains("backend=torchscript"), torchScript.toString());
                    String where = nativeFixture + " " + truncation + "/" + maxLength;
                    List<String> docs = documents();
                    for (String query : QUERIES) {
                        float[] expected = torchScript.score(query, docs);
                        float[] actual = nativeModel.score(query, docs);
                        for (int i = 0; i < docs.size(); i++) {
                            assertEquals(expected[i], actual[i], TOLERANCE, where + " query \"" + query + "\" doc " + i);
                        }
                        assertSpread(expected, where);
                    }
                    assertTruncates(nativeModel, maxLength, docs, where);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"tiny-bert, tiny-bert-torchscript", "tiny-xlmr, tiny-xlmr-torchscript"})
    void rawLogits_agreeWithTorchScript_oneDocumentAtATime(String nativeFixture, String torchScriptFixture) {
        try (DjlReranker nativeModel = build(nativeFixture, Truncation.QUERY_CAP_ONLY_SECOND, 64, 1);
                DjlReranker torchScript = build(torchScriptFixture, Truncation.QUERY_CAP_ONLY_SECOND, 64, 32)) {
            List<String> docs = documents();
            float[] batched = torchScript.score(QUERIES.get(0), docs);
            for (int i = 0; i < docs.size(); i++) {
                assertEquals(batched[i], nativeModel.score(QUERIES.get(0), List.of(docs.get(i)))[0], TOLERANCE,
                        nativeFixture + " doc " + i + " alone vs in TorchScript's batch");
            }
        }
    }

    /** Agreement would mean little if every document scored the same. */
    private static void assertSpread(float[] logits, String where) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float l : logits) {
            min = Math.min(min, l);
            max = Math.max(max, l);
        }
        assertTrue(max - min > 100 * TOLERANCE, where + ": the logits barely differ (" + min + ".." + max + ")");
    }

    /** The long documents really were cut to the window, so truncated inputs were compared. */
    private static void assertTruncates(DjlReranker reranker, int maxLength, List<String> docs, String where) {
        int atLimit = 0;
        for (String query : QUERIES) {
            for (var pair : reranker.pipeline().pairs(query, docs)) {
                assertTrue(pair.length() <= maxLength, where);
                atLimit += pair.length() == maxLength ? 1 : 0;
            }
        }
        assertTrue(atLimit >= 2 * QUERIES.size(), where + ": only " + atLimit + " pairs were truncated");
    }

    private static DjlReranker build(String fixture, Truncation truncation, int maxLength, int batchSize) {
        return DjlReranker.builder().model(Fixtures.dir(fixture)).scoreMode(ScoreMode.RAW).truncation(truncation)
                .maxLength(maxLength).batchSize(batchSize).build();
    }
}
