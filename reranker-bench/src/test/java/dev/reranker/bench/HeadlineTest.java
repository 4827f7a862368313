package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headline checks what its rows need before it measures, and names what is missing and how to get it;
 * it measures the rows the targets compare first.
 */
final class HeadlineTest {

    @TempDir
    Path temp;

    @Test
    void everyPrerequisitePresent_skipsNothing() throws Exception {
        Path model = Files.createDirectories(temp.resolve("model"));
        Files.writeString(model.resolve("model.pt"), "twin");
        Files.writeString(model.resolve("model.onnx"), "twin");
        Path tcmalloc = Files.writeString(temp.resolve("libtcmalloc_minimal.so.4"), "");

        assertEquals(Map.of(), Headline.missingPrerequisites(model, tcmalloc));
    }

    @Test
    void missingTwinsAndTcmalloc_skipTheirRows_withWhatToDo() throws Exception {
        Path model = Files.createDirectories(temp.resolve("model"));
        Path tcmalloc = temp.resolve("no-such-libtcmalloc.so");
        System.setProperty("bench.script", temp.resolve("no-such-make_models.py").toString());
        try {
            Map<String, String> missing = Headline.missingPrerequisites(model, tcmalloc);

            assertEquals(List.of("torchscript", "djl-stock", "onnxruntime", "tcmalloc"), List.copyOf(missing.keySet()));
            assertTrue(missing.get("torchscript").contains(model.resolve("model.pt").toString()), missing.toString());
            assertTrue(missing.get("torchscript").contains("make_models.py"), missing.toString());
            assertEquals(missing.get("torchscript"), missing.get("djl-stock"));
            assertTrue(missing.get("onnxruntime").contains(model.resolve("model.onnx") + "; make it with"),
                    missing.toString());
            assertTrue(missing.get("onnxruntime").contains("--onnx"), missing.toString());
            assertEquals("no " + tcmalloc + ": apt-get install libtcmalloc-minimal4", missing.get("tcmalloc"));
        } finally {
            System.clearProperty("bench.script");
        }
    }

    /** A JMH log of a benchmark whose set-up threw: the failure names the exception, not only the log. */
    @Test
    void firstException_isTheFirstExceptionLineOfTheLog() throws Exception {
        Path log = Files.writeString(temp.resolve("jmh.log"), """
                # Benchmark: dev.reranker.bench.GemmBenchmark.multiply
                <failure>

                java.lang.IllegalStateException: oneDNN cannot multiply bf16 on this CPU
                	at dev.reranker.bench.GemmBenchmark.setUp(GemmBenchmark.java:87)
                Caused by: java.lang.RuntimeException: could not create a primitive descriptor
                """);
        assertEquals(": java.lang.IllegalStateException: oneDNN cannot multiply bf16 on this CPU",
                Headline.firstException(log));
        assertEquals("", Headline.firstException(Files.writeString(temp.resolve("clean.log"), "# Run complete.\n")));
    }

    @Test
    void measurementOrder_putsTheTargetsRowsFirst_andMeasuresEveryRowOnce() {
        List<Headline.Run> runs = Headline.runs();

        List<Headline.Run> order = Headline.measurementOrder(runs);

        assertEquals(runs.size(), order.size());
        assertEquals(Set.copyOf(runs), Set.copyOf(order));
        assertEquals(List.of("native fp32 sorted 32 default", "native fp32 sorted 32 tcmalloc",
                "native fp32 sorted 32 glibc", "native bf16 sorted 32 default", "onnxruntime fp32 unsorted 100 default",
                "djl-stock fp32 unsorted 100 default"), order.subList(0, 6).stream().map(HeadlineTest::describe).toList());
        assertEquals(runs.get(0), order.get(6)); // then the rest, in the table's order
    }

    /** Where bf16 is emulated, every fp32 row is measured, and of bf16 only the row target 4 compares. */
    @Test
    void whereBf16IsEmulated_onlyTheTargetsBf16RowIsMeasured() {
        List<Headline.Run> measured = Headline.runs().stream().filter(Headline::measuredWhereBf16IsEmulated).toList();

        assertEquals(Headline.runs().stream().filter(r -> r.precision().equals("fp32")).count() + 1, measured.size());
        assertEquals(List.of(new Headline.Run("native", "bf16", "sorted", "mixed", 32, "default")),
                measured.stream().filter(r -> r.precision().equals("bf16")).toList());
        Headline.Run bf16 = new Headline.Run("native", "bf16", "sorted", "mixed", 32, "default");
        assertEquals(List.of(2, 1), List.of(bf16.iterations(false), bf16.iterations(true)));
    }

    @Test
    void measurementOrder_ofRowsWithoutTheTargets_keepsTheirOrder() {
        List<Headline.Run> runs = Headline.runs().subList(0, 4); // batches 1 and 4, fp32 and bf16

        assertEquals(runs, Headline.measurementOrder(runs));
    }

    private static String describe(Headline.Run run) {
        return String.join(" ", run.backend(), run.precision(), run.batching(), String.valueOf(run.batchSize()),
                run.allocator());
    }
}
