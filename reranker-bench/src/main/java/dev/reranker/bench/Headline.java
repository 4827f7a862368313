package dev.reranker.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.djl.internal.NativeMemory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The headline comparisons in one run (under 15 minutes on 2 cores): the machine's matrix-multiply
 * limit, this library's throughput against batch size in fp32 and bf16 (MiniLM-L6 shape), the
 * bge-reranker-base shape ({@code xlmr-base}) at batch 32 in both, sorted against unsorted
 * batching, the TorchScript backend, the peers (DJL's stock route, ONNX Runtime) and the allocator
 * (plain start against tcmalloc). Prints a table and writes
 * {@code reranker-bench/target/headline.json} and {@code headline.svg}.
 *
 * <pre>java -cp reranker-bench/target/benchmarks.jar dev.reranker.bench.Headline</pre>
 *
 * <p>Each measurement is a separate JMH run in its own JVM (started with this jar), so an
 * allocator can be preloaded for one of them. Run it from the repository root.
 */
public final class Headline {

    /** The model of most runs, and of the chart. */
    static final String MODEL = "minilm-l6";
    /** The shape of bge-reranker-base, measured at batch 32 in both dtypes. */
    private static final String LARGE_MODEL = "xlmr-base";
    private static final String TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";

    private record Run(String model, String backend, String precision, String batching, String workload,
            int batchSize, String allocator) {

        Run(String backend, String precision, String batching, String workload, int batchSize, String allocator) {
            this(MODEL, backend, precision, batching, workload, batchSize, allocator);
        }

        /**
         * Measured iterations: one for DJL's stock route, whose single op (all pairs of a query)
         * takes about 100 s, so that the run stays under 15 minutes; two for the rest.
         */
        int iterations() {
            return backend.equals("djl-stock") ? 1 : 2;
        }
    }

    private Headline() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(Headline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path out = Path.of(args.length > 0 ? args[0] : "reranker-bench/target");
        Files.createDirectories(out);
        BenchModel.of(MODEL).directory(); // generate once, before the timed runs
        BenchModel.of(LARGE_MODEL).directory();

        // The limit is the faster of libtorch's two routes (at 2048³ on this AMD EPYC oneDNN's fp32 ran ~2.2x MKL's).
        JsonObject gemm = new JsonObject();
        JsonObject gemmRoutes = new JsonObject();
        for (String dtype : new String[] {"fp32", "bf16"}) {
            JsonObject byRoute = new JsonObject();
            double best = 0;
            for (String route : new String[] {"eager", "onednn"}) {
                double ops = jmh(jar, out, "GemmBenchmark", Map.of("n", "2048", "dtype", dtype, "route", route), null, 2)
                        .get("score");
                double gflops = round(GemmBenchmark.gflops(2048, ops));
                byRoute.addProperty(route, gflops);
                best = Math.max(best, gflops);
            }
            gemm.addProperty(dtype, best);
            gemmRoutes.add(dtype, byRoute);
        }

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
        if (Files.exists(Path.of(TCMALLOC))) {
            runs.add(new Run("native", "fp32", "sorted", "mixed", 32, "tcmalloc"));
        }
        runs.add(new Run("torchscript", "fp32", "sorted", "mixed", 32, "default"));
        runs.add(new Run("djl-stock", "fp32", "unsorted", "mixed", 100, "default"));
        runs.add(new Run("onnxruntime", "fp32", "unsorted", "mixed", 100, "default"));

        JsonArray results = new JsonArray();
        for (Run run : runs) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("model", run.model());
            params.put("backend", run.backend());
            params.put("precision", run.precision());
            params.put("batching", run.batching());
            params.put("workload", run.workload());
            params.put("batchSize", String.valueOf(Math.min(run.batchSize(), 64)));
            Map<String, Double> measured = jmh(jar, out, "RerankBenchmark", params, run.allocator(), run.iterations());
            Workload workload = Workload.of(run.workload(), BenchModel.of(run.model()), 64);
            double opsPerSecond = measured.get("score");
            JsonObject r = new JsonObject();
            r.addProperty("model", run.model());
            r.addProperty("backend", run.backend());
            r.addProperty("dtype", run.precision());
            r.addProperty("batching", run.batching());
            r.addProperty("workload", run.workload());
            r.addProperty("batch_size", run.batchSize());
            r.addProperty("allocator", run.allocator());
            r.addProperty("pairs_per_s", round(opsPerSecond * workload.documents.size()));
            double flops = Workload.effectiveFlops(BenchModel.of(run.model()).shape(), workload);
            r.addProperty("effective_gflops", round(opsPerSecond * flops / 1e9));
            results.add(r);
            System.out.printf(Locale.ROOT, "%-10s %-12s %-5s %-9s %-12s %4d %-9s %9.1f pairs/s %7.1f GFLOP/s%n",
                    run.model(), run.backend(), run.precision(), run.batching(), run.workload(), run.batchSize(), run.allocator(),
                    r.get("pairs_per_s").getAsDouble(), r.get("effective_gflops").getAsDouble());
        }

        JsonObject machine = new JsonObject();
        machine.addProperty("cpu", cpu());
        machine.addProperty("cores", Runtime.getRuntime().availableProcessors());
        machine.addProperty("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.addProperty("allocator", "default = glibc tuned by the library (mallopt); glibc = untuned "
                + "(-Ddev.reranker.malloc=default); tcmalloc = LD_PRELOAD " + TCMALLOC + "; all three cap oneDNN's "
                + "primitive caches at " + NativeMemory.PRIMITIVE_CACHE_CAPACITY
                + " (ONEDNN_PRIMITIVE_CACHE_CAPACITY, LRU_CACHE_CAPACITY), as the library does");
        JsonObject headline = new JsonObject();
        headline.add("machine", machine);
        headline.add("gemm_gflops", gemm);
        headline.add("gemm_gflops_by_route", gemmRoutes);
        headline.add("results", results);
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        Files.writeString(out.resolve("headline.json"), gson.toJson(headline), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("headline.svg"), HeadlineChart.svg(results, gemm), StandardCharsets.UTF_8);
        System.out.println("gemm GFLOP/s: " + gemm + "; wrote " + out.resolve("headline.json") + " and headline.svg");
    }

    /** One JMH run in a fresh JVM; returns the primary score and secondary results by name. */
    private static Map<String, Double> jmh(Path jar, Path out, String benchmark, Map<String, String> params,
            String allocator, int iterations) throws IOException, InterruptedException {
        Path result = Files.createTempFile(out, "jmh-", ".json");
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
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if ("tcmalloc".equals(allocator)) {
            builder.environment().put("LD_PRELOAD", TCMALLOC);
        }
        Process process = builder.start();
        if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("JMH failed: " + String.join(" ", command));
        }
        JsonArray json = JsonParser.parseString(Files.readString(result)).getAsJsonArray();
        Files.delete(result);
        JsonObject first = json.get(0).getAsJsonObject();
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("score", first.getAsJsonObject("primaryMetric").get("score").getAsDouble());
        JsonObject secondary = first.getAsJsonObject("secondaryMetrics");
        if (secondary != null) {
            for (Map.Entry<String, JsonElement> e : secondary.entrySet()) {
                scores.put(e.getKey(), e.getValue().getAsJsonObject().get("score").getAsDouble());
            }
        }
        return scores;
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
