package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RssGrowth's command line: mistakes are caught before a model loads, with a message saying what is allowed. */
final class RssGrowthTest {

    private static String rejected(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> RssGrowth.parse(args)).getMessage();
    }

    @Test
    void parse_unknownOption_listsTheOptions() {
        String message = rejected("--pair", "10");
        assertTrue(message.contains("unknown option --pair") && message.contains("--pairs N"), message);
    }

    @Test
    void parse_optionWithoutValue_saysSo() {
        assertEquals("--pairs needs a value; ", rejected("--pairs").substring(0, 23));
    }

    @Test
    void parse_zeroPairs_saysTheLimit() {
        assertTrue(rejected("--pairs", "0").startsWith("--pairs must be from 1"));
    }

    @Test
    void parse_notANumber_saysSo() {
        assertEquals("--batch-size must be a whole number, was many", rejected("--batch-size", "many"));
    }

    @Test
    void parse_unknownWorkload_namesTheWorkloads() {
        assertTrue(rejected("--workload", "long").contains("uniform-128, mixed or short"));
    }

    @Test
    void parse_unknownModelBackendOrPrecision_isRejected() {
        assertTrue(rejected("--model", "bge").contains("minilm-l6, xlmr-base, tiny"));
        assertTrue(rejected("--backend", "onnxruntime").contains("native, torchscript"));
        assertTrue(rejected("--precision", "fp16").contains("fp32, bf16"));
    }

    @Test
    void parse_zeroWarmup_isAllowed() {
        RssGrowth.parse(new String[] {"--warmup-pairs", "0"});
    }
}
