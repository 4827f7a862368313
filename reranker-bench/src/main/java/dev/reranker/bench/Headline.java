package dev.reranker.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.djl.internal.CpuFeatures;
import dev.reranker.djl.internal.NativeMemory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The headline comparisons in one run (under 15 minutes on 2 cores): the machine's matrix-multiply
 * limit, this library's throughput against batch size in fp32 and bf16 (MiniLM-L6 shape), the
 * bge-reranker-base shape ({@code xlmr-base}) at batch 32 in both, sorted against unsorted
 * batching, the TorchScript backend, the peers (DJL's stock route, ONNX Runtime) and the allocator
 * (plain start against tcmalloc). Prints a table and writes
 * {@code reranker-bench/target/headline.json} and {@code headline.svg}.
 *
 * <pre>java -cp reranker-bench/target/benchmarks.jar dev.reranker.bench.Headline [--all-rows] [OUT]</pre>
 *
 * <p>On a CPU without bf16 instructions, where bf16 is emulated and several times slower than fp32,
 * only the bf16 row that target 4 compares is measured unless {@code --all-rows} asks for the rest;
 * the others are listed under {@code skipped}.
 *
 * <p>Each measurement is a separate JMH run in its own JVM (started with this jar), so an
 * allocator can be preloaded for one of them. The rows the targets compare are measured
 * first, back to back (see {@link #measurementOrder}); the table and the file list the rows in
 * their usual order. Run it from the repository root.
 *
 * <p>Some rows need more than the jar: the TorchScript and ONNX twins of the model (made on first use
 * with Debian's {@code python3-torch}) and tcmalloc ({@code libtcmalloc-minimal4}). Where one is
 * missing, its rows are skipped, which the run says at its start, and {@code headline.json} lists
 * them under {@code skipped} with the reason. A JMH run that fails is skipped the same way, its
 * output kept beside the report, so one failure loses no other row.
 */
public final class Headline {

    /** The model of most runs, and of the chart. */
    static final String MODEL = "minilm-l6";
    /** The shape of bge-reranker-base, measured at batch 32 in both dtypes. */
    private static final String LARGE_MODEL = "xlmr-base";
    private static final String TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
    /** The argument that measures every row, bf16 ones included, on a CPU that emulates bf16. */
    static final String ALL_ROWS = "--all-rows";
    private static final String EMULATED_BF16 = "this CPU has no bf16 instructions, so bf16 is emulated and several"
            + " times slower than fp32: only the MiniLM-L6 bf16 row at batch 32 is measured (" + ALL_ROWS
            + " measures the rest too)";

    record Run(String model, String backend, String precision, String batching, String workload,
            int batchSize, String allocator) {

        Run(String backend, String precision, String batching, String workload, int batchSize, String allocator) {
            this(MODEL, backend, precision, batching, workload, batchSize, allocator);
        }

        /**
         * Measured iterations: one for DJL's stock route, whose single op (all pairs of a query)
         * takes about 100 s, and for bf16 where the CPU emulates it (a query of 100 pairs took 23 s
         * on an AVX2-only AMD EPYC), so that the run stays under 15 minutes; two for the rest.
         *
         * @param emulatedBf16 whether this CPU lacks bf16 instructions
         */
        int iterations(boolean emulatedBf16) {
            return backend.equals("djl-stock") ? 1 : Headline.iterations(emulatedBf16, precision);
        }

        /** RerankBenchmark's parameters for this run. */
        Map<String, String> params() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("model", model);
            params.put("backend", backend);
            params.put("precision", precision);
            params.put("batching", batching);
            params.put("workload", workload);
            params.put("batchSize", String.valueOf(Math.min(batchSize, 64)));
            return params;
        }

        /** The run as {@code headline.json} names it, without its measurements. */
        JsonObject json() {
            JsonObject r = new JsonObject();
            r.addProperty("model", model);
            r.addProperty("backend", backend);
            r.addProperty("dtype", precision);
            r.addProperty("batching", batching);
            r.addProperty("workload", workload);
            r.addProperty("batch_size", batchSize);
            r.addProperty("allocator", allocator);
            return r;
        }

        /** The run's columns in the printed table. */
        String row() {
            return String.format(Locale.ROOT, "%-10s %-12s %-5s %-9s %-12s %4d %-9s", model, backend, precision,
                    batching, workload, batchSize, allocator);
        }
    }

    /**
     * The first exception a JMH log names, as {@code ": <type>: <message>"} (a throwing benchmark's
     * cause), or empty when it names none.
     */
    static String firstException(Path log) throws IOException {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.map(String::strip).filter(l -> l.matches("[\\w.$]+(Exception|Error): .*")).findFirst()
                    .map(l -> ": " + l).orElse("");
        } catch (java.io.UncheckedIOException e) { // not UTF-8: say nothing rather than fail
            return "";
        }
    }

    /** A JMH run that failed; its message says why and where JMH's output was kept. */
    static final class JmhFailure extends Exception {
        JmhFailure(String message) {
            super(message);
        }
    }

    /**
     * What some rows need beyond the jar, checked before minutes of measuring rather than after:
     * the model's TorchScript and ONNX twins (made here if missing) and tcmalloc. Returns, by
     * backend ({@code torchscript}, {@code djl-stock}, {@code onnxruntime}) or allocator
     * ({@code tcmalloc}), why that row cannot run; empty when every row can.
     */
    static Map<String, String> missingPrerequisites(Path modelDir, Path tcmalloc) throws InterruptedException {
        Map<String, String> missing = new LinkedHashMap<>();
        String torchScript = twin(modelDir, false);
        if (torchScript != null) {
            missing.put("torchscript", torchScript);
            missing.put("djl-stock", torchScript);
        }
        String onnx = twin(modelDir, true);
        if (onnx != null) {
            missing.put("onnxruntime", onnx);
        }
        if (!Files.exists(tcmalloc)) {
            missing.put("tcmalloc", "no " + tcmalloc + ": apt-get install libtcmalloc-minimal4");
        }
        return missing;
    }

    /**
     * Makes the model's TorchScript or ONNX twin if it is missing; null once it is there, else why
     * it could not be made.
     */
    private static String twin(Path dir, boolean onnx) throws InterruptedException {
        try {
            TorchScriptTwin.ensure(dir, onnx);
            return null;
        } catch (IOException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    private Headline() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(Headline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean allRows = arguments.remove(ALL_ROWS);
        Path out = Path.of(arguments.isEmpty() ? "reranker-bench/target" : arguments.get(0));
        boolean emulatedBf16 = CpuFeatures.nativeBf16().equals(Optional.of(false));
        Files.createDirectories(out);
        HostSteal start = HostSteal.read();
        Path modelDir = BenchModel.of(MODEL).directory(); // generate once, before the timed runs
        BenchModel.of(LARGE_MODEL).directory();
        Map<String, String> missing = missingPrerequisites(modelDir, Path.of(TCMALLOC));
        for (Map.Entry<String, String> m : missing.entrySet()) {
            System.out.println("warning: the " + m.getKey() + " row(s) will be skipped: " + m.getValue());
        }
        if (emulatedBf16 && !allRows) {
            System.out.println("note: " + EMULATED_BF16);
        }

        // The limit is the faster of libtorch's two routes (at 2048³ on this AMD EPYC oneDNN's fp32 ran ~2.2x MKL's).
        // A route that cannot run here (oneDNN's bf16 without AVX-512) is reported, not measured.
        JsonObject gemm = new JsonObject();
        JsonObject gemmRoutes = new JsonObject();
        JsonObject gemmSteal = new JsonObject();
        JsonObject gemmUnavailable = new JsonObject();
        for (String dtype : new String[] {"fp32", "bf16"}) {
            HostSteal before = HostSteal.read();
            JsonObject byRoute = new JsonObject();
            double best = 0;
            JmhFailure failure = null;
            int iterations = iterations(emulatedBf16, dtype); // emulated bf16: 57 s a multiply on Zen 3
            for (String route : new String[] {"eager", "onednn"}) {
                Map<String, String> params = Map.of("n", "2048", "dtype", dtype, "route", route);
                try {
                    double ops = jmh(jar, out, "GemmBenchmark", params, null, iterations).get("score");
                    double gflops = round(GemmBenchmark.gflops(2048, ops));
                    byRoute.addProperty(route, gflops);
                    best = Math.max(best, gflops);
                } catch (JmhFailure e) {
                    failure = e;
                    gemmUnavailable.addProperty(dtype + " " + route, e.getMessage());
                    System.out.printf(Locale.ROOT, "%s multiply by %s skipped: %s%n", dtype, route, e.getMessage());
                }
            }
            if (byRoute.isEmpty()) {
                throw failure; // neither route ran: no limit to compare against
            }
            gemm.addProperty(dtype, best);
            gemmRoutes.add(dtype, byRoute);
            gemmSteal.addProperty(dtype, round(HostSteal.read().percentSince(before)));
        }

        List<Run> runs = runs();
        Map<Run, JsonObject> measuredRows = new HashMap<>();
        Map<Run, JsonObject> skippedRows = new HashMap<>();
        for (Run run : measurementOrder(runs)) {
            String reason = missing.getOrDefault(run.backend(), missing.get(run.allocator()));
            if (reason == null && !allRows && emulatedBf16 && !measuredWhereBf16IsEmulated(run)) {
                reason = EMULATED_BF16;
            }
            Map<String, Double> measured = null;
            if (reason == null) {
                try {
                    measured = jmh(jar, out, "RerankBenchmark", run.params(), run.allocator(),
                            run.iterations(emulatedBf16));
                } catch (JmhFailure e) {
                    reason = e.getMessage();
                }
            }
            if (measured == null) {
                JsonObject r = run.json();
                r.addProperty("reason", reason);
                skippedRows.put(run, r);
                System.out.printf(Locale.ROOT, "%s skipped: %s%n", run.row(), reason);
                continue;
            }
            Workload workload = Workload.of(run.workload(), BenchModel.of(run.model()), Workload.UNIFORM_DOCUMENTS);
            double opsPerSecond = measured.get("score");
            JsonObject r = run.json();
            r.addProperty("pairs_per_s", round(opsPerSecond * workload.documents.size()));
            double flops = Workload.effectiveFlops(BenchModel.of(run.model()).shape(), workload);
            r.addProperty("effective_gflops", round(opsPerSecond * flops / 1e9));
            r.addProperty("steal_percent", round(measured.get(STEAL)));
            measuredRows.put(run, r);
            System.out.printf(Locale.ROOT, "%s %9.1f pairs/s %7.1f GFLOP/s %5.1f%% steal%n", run.row(),
                    r.get("pairs_per_s").getAsDouble(), r.get("effective_gflops").getAsDouble(), measured.get(STEAL));
        }
        JsonArray results = new JsonArray();
        JsonArray skipped = new JsonArray();
        for (Run run : runs) { // reported in the table's order, whatever order they were measured in
            if (measuredRows.containsKey(run)) {
                results.add(measuredRows.get(run));
            } else {
                skipped.add(skippedRows.get(run));
            }
        }

        JsonObject machine = new JsonObject();
        machine.addProperty("cpu", CpuFeatures.modelName().orElse(System.getProperty("os.arch")));
        machine.addProperty("cores", Runtime.getRuntime().availableProcessors());
        CpuFeatures.nativeBf16().ifPresent(bf16 -> machine.addProperty("bf16_instructions", bf16));
        machine.addProperty("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        // Time the hypervisor gave to other guests while this ran; each result has its own share.
        machine.addProperty("steal_percent", round(HostSteal.read().percentSince(start)));
        machine.addProperty("allocator", "default = glibc tuned by the library (mallopt); glibc = untuned "
                + "(-Ddev.reranker.malloc=default); tcmalloc = LD_PRELOAD " + TCMALLOC + "; all three cap oneDNN's "
                + "primitive caches at " + NativeMemory.PRIMITIVE_CACHE_CAPACITY
                + " (ONEDNN_PRIMITIVE_CACHE_CAPACITY, LRU_CACHE_CAPACITY), as the library does");
        JsonObject headline = new JsonObject();
        headline.add("machine", machine);
        headline.add("gemm_gflops", gemm);
        headline.add("gemm_gflops_by_route", gemmRoutes);
        headline.add("gemm_steal_percent", gemmSteal);
        if (!gemmUnavailable.isEmpty()) {
            headline.add("gemm_unavailable", gemmUnavailable);
        }
        headline.add("results", results);
        if (!skipped.isEmpty()) {
            headline.add("skipped", skipped);
        }
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        Files.writeString(out.resolve("headline.json"), gson.toJson(headline), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("headline.svg"), HeadlineChart.svg(results, gemm), StandardCharsets.UTF_8);
        System.out.println("gemm GFLOP/s: " + gemm + "; wrote " + out.resolve("headline.json") + " and headline.svg");
    }

    /** The rows, in the order of the table and the file. */
    static List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        for (int batch : new int[] {1, 4, 8, 16, 32, 64}) {
            runs.add(new Run("native", "fp32", "sorted", "mixed", batch, "default"));
            runs.add(new Run("native", "bf16", "sorted", "mixed", batch, "default"));
        }
        runs.add(new Run(LARGE_MODEL, "native", "fp32", "sorted", "mixed", 32, "default"));
        runs.add(new Run(LARGE_MODEL, "native", "bf16", "sorted", "mixed", 32, "default"));
        runs.add(new Run("native", "fp32", "unsorted", "mixed", 32, "default"));
        runs.add(new Run("native", "fp32", "sorted", "uniform-128", 32, "default"));
        runs.add(new Run("native", "fp32", "sorted", "mixed", 32, "glibc"));
        runs.add(new Run("native", "fp32", "sorted", "mixed", 32, "tcmalloc"));
        runs.add(new Run("torchscript", "fp32", "sorted", "mixed", 32, "default"));
        runs.add(new Run("djl-stock", "fp32", "unsorted", "mixed", 100, "default"));
        runs.add(new Run("onnxruntime", "fp32", "unsorted", "mixed", 100, "default"));
        return runs;
    }

    /** Measured iterations of a multiply or a row in {@code dtype}: one for emulated bf16, two otherwise. */
    static int iterations(boolean emulatedBf16, String dtype) {
        return emulatedBf16 && dtype.equals("bf16") ? 1 : 2;
    }

    /**
     * Whether {@code run} is measured on a CPU that emulates bf16 (unless {@value #ALL_ROWS} asks
     * for every row): every fp32 row, and bf16 on the MiniLM-L6 shape at batch 32, the row target 4
     * compares. Emulated bf16 is several times slower than fp32 (7x on an AVX2-only AMD EPYC, where
     * the other bf16 rows took 15 of the run's 30 minutes), and that one row shows it.
     */
    static boolean measuredWhereBf16IsEmulated(Run run) {
        return !run.precision().equals("bf16") || (run.model().equals(MODEL) && run.batchSize() == 32);
    }

    /**
     * The order to measure {@code runs} in: first, straight after the multiplies, the rows that
     * issue 4's targets compare (our fp32 default at batch 32, the same under tcmalloc and untuned
     * glibc, bf16 at batch 32, ONNX Runtime, DJL's stock route), then the rest in table order. A
     * shared host's speed drifts over a 15-minute run (on the Xeon, rows measured ten minutes in
     * ran up to a third slower with no steal, while the same rows alone ran at full speed), so the
     * rows a target's ratio is read from are measured minutes apart, not ten.
     */
    static List<Run> measurementOrder(List<Run> runs) {
        List<Run> first = List.of(
                new Run("native", "fp32", "sorted", "mixed", 32, "default"),
                new Run("native", "fp32", "sorted", "mixed", 32, "tcmalloc"),
                new Run("native", "fp32", "sorted", "mixed", 32, "glibc"),
                new Run("native", "bf16", "sorted", "mixed", 32, "default"),
                new Run("onnxruntime", "fp32", "unsorted", "mixed", 100, "default"),
                new Run("djl-stock", "fp32", "unsorted", "mixed", 100, "default"));
        List<Run> order = new ArrayList<>();
        for (Run run : first) {
            if (runs.contains(run)) {
                order.add(run);
            }
        }
        for (Run run : runs) {
            if (!order.contains(run)) {
                order.add(run);
            }
        }
        return order;
    }

    /** The key of {@link #jmh}'s steal share. */
    private static final String STEAL = "steal %";

    /**
     * One JMH run in a fresh JVM; returns the primary score, secondary results by name, and the
     * machine's steal share over the run ({@link #STEAL}; -1 where unknown).
     */
    private static Map<String, Double> jmh(Path jar, Path out, String benchmark, Map<String, String> params,
            String allocator, int iterations) throws IOException, InterruptedException, JmhFailure {
        Path result = Files.createTempFile(out, "jmh-", ".json");
        Path log = Files.createTempFile(out, "jmh-", ".log");
        List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString(), benchmark,
                "-f", "1", "-wi", "1", "-w", "5", "-i", String.valueOf(iterations), "-r", "5",
                "-rf", "json", "-rff", result.toString()));
        for (Map.Entry<String, String> p : params.entrySet()) {
            command.add("-p");
            command.add(p.getKey() + "=" + p.getValue());
        }
        if ("glibc".equals(allocator)) {
            command.add("-jvmArgsAppend");
            command.add("-Ddev.reranker.malloc=default");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if ("tcmalloc".equals(allocator)) {
            builder.environment().put("LD_PRELOAD", TCMALLOC);
        }
        HostSteal before = HostSteal.read();
        Process process = builder.start();
        boolean finished = process.waitFor(20, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        JsonArray json = finished && process.exitValue() == 0 && Files.size(result) > 0
                ? JsonParser.parseString(Files.readString(result)).getAsJsonArray() : new JsonArray();
        Files.delete(result);
        if (json.isEmpty()) { // a benchmark that throws leaves JMH's exit code 0 and no result
            throw new JmhFailure((finished ? "JMH exited with " + process.exitValue() + " and gave no result"
                    : "JMH ran past 20 minutes") + firstException(log) + "; its output is in " + log
                    + " (command: " + String.join(" ", command) + ")");
        }
        Files.delete(log);
        double steal = HostSteal.read().percentSince(before);
        JsonObject first = json.get(0).getAsJsonObject();
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("score", first.getAsJsonObject("primaryMetric").get("score").getAsDouble());
        scores.put(STEAL, steal);
        JsonObject secondary = first.getAsJsonObject("secondaryMetrics");
        if (secondary != null) {
            for (Map.Entry<String, JsonElement> e : secondary.entrySet()) {
                scores.put(e.getKey(), e.getValue().getAsJsonObject().get("score").getAsDouble());
            }
        }
        return scores;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
