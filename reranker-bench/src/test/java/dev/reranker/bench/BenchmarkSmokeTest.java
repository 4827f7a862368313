package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.djl.internal.CpuFeatures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the benchmarks runnable: one short iteration of each on the tiny generated model. It
 * checks that they run and report, not how fast (timing belongs to real benchmark runs).
 */
final class BenchmarkSmokeTest {

    @TempDir
    Path models;

    @TempDir
    Path out;

    private Collection<RunResult> run(String benchmark, String... params) throws Exception {
        OptionsBuilder options = new OptionsBuilder();
        options.include(benchmark).forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300)).shouldFailOnError(true);
        for (int i = 0; i < params.length; i += 2) {
            options.param(params[i], params[i + 1].split(","));
        }
        System.setProperty("bench.models.dir", models.toString());
        Options built = options.build();
        return new ArrayList<>(new Runner(built).run());
    }

    @Test
    void rerankBenchmark_runsOnTheTinyModel_everyWorkloadAndBatching() throws Exception {
        Collection<RunResult> results = run(RerankBenchmark.class.getSimpleName(),
                "model", "tiny", "batchSize", "1,8", "workload", "mixed,uniform-128", "batching", "sorted,unsorted",
                "uniformDocuments", "16");
        assertEquals(8, results.size());
        for (RunResult result : results) {
            assertTrue(result.getPrimaryResult().getScore() > 0, result.getParams().toString());
            assertTrue(result.getSecondaryResults().get("pairs").getScore() > 0, result.getParams().toString());
        }
    }

    @Test
    void rerankBenchmark_bf16_runs() throws Exception {
        Collection<RunResult> results = run(RerankBenchmark.class.getSimpleName(),
                "model", "tiny", "batchSize", "8", "workload", "uniform-128", "precision", "bf16",
                "uniformDocuments", "16");
        assertEquals(1, results.size());
        assertTrue(results.iterator().next().getPrimaryResult().getScore() > 0);
    }

    @Test
    void rerankBenchmark_runsOnARealModelDirectory() throws Exception {
        Path fixture = Path.of("../reranker-djl/src/test/resources/fixtures/tiny-xlmr").toAbsolutePath().normalize();
        Collection<RunResult> results = run(RerankBenchmark.class.getSimpleName(),
                "model", fixture.toString(), "batchSize", "8", "workload", "uniform-128", "uniformDocuments", "16");
        assertEquals(1, results.size());
        assertTrue(results.iterator().next().getPrimaryResult().getScore() > 0);
    }

    @Test
    void gemmBenchmark_runsInBothDtypes_byBothRoutes() throws Exception {
        Collection<RunResult> results = run(GemmBenchmark.class.getSimpleName(), "n", "256", "dtype", "fp32",
                "route", "eager,onednn");
        results.addAll(run(GemmBenchmark.class.getSimpleName(), "n", "256", "dtype", "bf16", "route", "eager"));
        assertEquals(3, results.size());
        for (RunResult result : results) {
            assertTrue(result.getPrimaryResult().getScore() > 0, result.getParams().toString());
        }
    }

    /** oneDNN's bf16 runs where the CPU has AVX-512; elsewhere the benchmark says why it cannot. */
    @Test
    void gemmBenchmark_oneDnnBf16_runsOrSaysThisCpuLacksAvx512() throws Exception {
        if (CpuFeatures.oneDnnBf16().equals(Optional.of(false))) {
            RunnerException e = assertThrows(RunnerException.class,
                    () -> run(GemmBenchmark.class.getSimpleName(), "n", "256", "dtype", "bf16", "route", "onednn"));
            assertTrue(mentions(e, "its bf16 needs AVX-512"), e.toString());
        } else {
            Collection<RunResult> results = run(GemmBenchmark.class.getSimpleName(), "n", "256", "dtype", "bf16",
                    "route", "onednn");
            assertTrue(results.iterator().next().getPrimaryResult().getScore() > 0);
        }
    }

    /** Whether {@code t}, or any exception it carries (JMH's are suppressed, not causes), says {@code text}. */
    private static boolean mentions(Throwable t, String text) {
        if (t == null) {
            return false;
        }
        if (String.valueOf(t.getMessage()).contains(text) || mentions(t.getCause(), text)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (mentions(suppressed, text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void breakdown_runsOnTheTinyModel_andAccountsForTheProfiledCall() throws Exception {
        System.setProperty("bench.models.dir", models.toString());
        Breakdown.main(new String[] {"--model", "tiny", "--workload", "mixed", "--batch-size", "8", "--calls", "1",
                "--out", out.toString()});

        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("breakdown.json"))).getAsJsonObject();
        assertEquals("tiny", report.get("model").getAsString());
        assertEquals(8, report.get("batch_size").getAsInt());
        assertTrue(report.get("pairs_per_s").getAsDouble() > 0, report.toString());
        assertTrue(Files.size(out.resolve(report.get("trace").getAsString())) > 0);
        double profiledMs = report.get("profiled_seconds").getAsDouble() * 1e3;
        double sum = 0;
        for (var group : report.getAsJsonArray("groups")) {
            JsonObject g = group.getAsJsonObject();
            assertTrue(g.get("ms").getAsDouble() >= 0, g.toString());
            sum += g.get("ms").getAsDouble();
            if (g.get("name").getAsString().equals(Breakdown.LINEARS)
                    || g.get("name").getAsString().equals(Breakdown.ATTENTION)) {
                assertTrue(g.get("calls").getAsInt() > 0 && g.get("gflops").getAsDouble() > 0, g.toString());
            }
        }
        // The groups split the profiled call between them, nothing counted twice.
        assertEquals(profiledMs, sum, profiledMs * 1e-6);
        assertFalse(report.getAsJsonArray("linear_shapes").isEmpty(), report.toString());
    }

    @Test
    void rssGrowth_runsOnTheTinyModel_andWritesItsReport() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "RssGrowth reads Linux's /proc/self/status");
        System.setProperty("bench.models.dir", models.toString());
        RssGrowth.main(new String[] {"--model", "tiny", "--workload", "short", "--pairs", "250",
                "--warmup-pairs", "50", "--batch-size", "8", "--threads", "2", "--out", out.toString()});

        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("rss.json"))).getAsJsonObject();
        assertEquals("tiny", report.get("model").getAsString());
        assertEquals("short", report.get("workload").getAsString());
        assertEquals("native", report.get("backend").getAsString());
        assertEquals("fp32", report.get("precision").getAsString());
        assertEquals(8, report.get("batch_size").getAsInt());
        assertEquals(2, report.get("caller_threads").getAsInt());
        assertEquals(250, report.get("pairs").getAsLong());
        assertEquals(50, report.get("warmup_pairs").getAsLong());
        double start = report.get("rss_mb_after_warmup").getAsDouble();
        double end = report.get("rss_mb_end").getAsDouble();
        assertTrue(start > 0 && end > 0, report.toString());
        assertEquals(end - start, report.get("growth_mb").getAsDouble(), 0.11);
        assertTrue(report.get("seconds").getAsDouble() >= 0, report.toString());
        JsonArray samples = report.getAsJsonArray("samples");
        assertEquals(21, samples.size());
        assertEquals(0, samples.get(0).getAsJsonObject().get("pairs").getAsLong());
        assertEquals(start, samples.get(0).getAsJsonObject().get("rss_mb").getAsDouble());
        JsonObject last = samples.get(samples.size() - 1).getAsJsonObject();
        assertEquals(250, last.get("pairs").getAsLong());
        assertEquals(end, last.get("rss_mb").getAsDouble());
        long previous = -1;
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (int i = 0; i < samples.size(); i++) {
            long pairs = samples.get(i).getAsJsonObject().get("pairs").getAsLong();
            assertTrue(pairs > previous, "sample pairs increase: " + samples);
            previous = pairs;
            JsonObject sample = samples.get(i).getAsJsonObject();
            double rss = sample.get("rss_mb").getAsDouble();
            assertTrue(sample.get("probe_ms").getAsDouble() > 0, sample.toString());
            if (i == 0) {
                assertFalse(sample.has("pairs_per_s"), "the reading after warm-up closes no stretch: " + sample);
            } else {
                assertTrue(sample.get("pairs_per_s").getAsDouble() > 0, sample.toString());
                assertTrue(sample.get("cpu_percent").getAsDouble() > 0, sample.toString());
                assertTrue(sample.get("minor_faults_per_pair").getAsDouble() >= 0, sample.toString());
                for (var kind : sample.getAsJsonObject("minor_faults_by_thread").entrySet()) {
                    assertTrue(kind.getValue().getAsLong() > 0, "only threads that faulted: " + sample);
                }
                if (sample.has("steal_percent")) {
                    double steal = sample.get("steal_percent").getAsDouble();
                    assertTrue(steal >= 0 && steal <= 100, sample.toString());
                }
            }
            lowest = Math.min(lowest, rss);
            highest = Math.max(highest, rss);
        }
        assertEquals(lowest, report.get("rss_mb_lowest").getAsDouble());
        assertEquals(highest, report.get("rss_mb_highest").getAsDouble());
    }
}
