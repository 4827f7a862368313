package dev.reranker.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.internal.DjlRuntime;
import dev.reranker.djl.internal.NativeMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Whether native memory stays flat under load: scores query after query on one reranker and
 * samples the process's resident set size (VmRSS in {@code /proc/self/status}, so Linux only).
 * The target is less than 50 MB of growth over 100,000 pairs after warm-up.
 *
 * <pre>
 * java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp reranker-bench/target/benchmarks.jar dev.reranker.bench.RssGrowth \
 *     [--model minilm-l6] [--workload short] [--pairs 100000] [--warmup-pairs 5000] [--batch-size 32] \
 *     [--backend native|torchscript] [--precision fp32|bf16] [--threads 1] [--out reranker-bench/target]
 * </pre>
 *
 * <p>Every query is a new {@link Workload} of the named kind (its own seed), so texts and batch
 * shapes change as they do in service; with {@code --threads N} each query comes from the next of N
 * caller threads in turn, as a server's request threads would call it. The warm-up lets the
 * allocator's pools reach the sizes the workload needs; growth is measured from there. Each reading
 * follows a full GC, so Java garbage does not stand in for native memory; a heap fixed by
 * {@code -Xms = -Xmx} and pre-touched keeps the Java heap's own pages out of the growth too. Beside RSS it
 * prints glibc's own account ({@link NativeMemory#heap()}): what malloc holds from the system and
 * how much of it is in use. Growth in RSS with flat use is the allocator's (a new peak,
 * fragmentation), not memory kept alive. An allocator that hands memory back (glibc untuned,
 * tcmalloc) moves RSS both ways, so the summary gives the lowest and highest reading beside the
 * growth. For each stretch between readings it also gives the speed, CPU use, page faults and steal
 * time ({@link Stretch}) and the time of a fixed loop at the reading ({@link #probeMillis()}), so
 * that a slow stretch can be put down to the allocator, the process or the host, and which kind of
 * thread took the most minor faults ({@link ThreadFaults}), so that a step in RSS can be put down to
 * the model or to the JVM. Prints a table and writes {@code rss.json}.
 */
public final class RssGrowth {

    private static final String USAGE = "options: --model minilm-l6|xlmr-base|tiny --workload short|mixed|uniform-128"
            + " --pairs N --warmup-pairs N --batch-size N --max-batch-tokens N --backend native|torchscript"
            + " --precision fp32|bf16 --threads N --out DIR";
    /** Samples over the measured run: one every 5% of it. */
    private static final int SAMPLES = 20;

    private String model = "minilm-l6";
    private String workload = "short";
    private long pairs = 100_000;
    private long warmupPairs = 5_000;
    private int batchSize = 32;
    private int maxBatchTokens; // 0: the library's default
    private String backend = "native";
    private String precision = "fp32";
    private int threads = 1;
    private Path out = Path.of("reranker-bench/target");

    private RssGrowth() {}

    public static void main(String[] args) throws Exception {
        parse(args).run();
    }

    static RssGrowth parse(String[] args) {
        RssGrowth r = new RssGrowth();
        CommandLine.read(args, USAGE, (option, value) -> {
            switch (option) {
                case "--model" -> r.model = BenchModel.of(value).id;
                case "--workload" -> r.workload = value;
                case "--pairs" -> r.pairs = CommandLine.positive(option, value, 1);
                case "--warmup-pairs" -> r.warmupPairs = CommandLine.positive(option, value, 0);
                case "--batch-size" -> r.batchSize = (int) CommandLine.positive(option, value, 1);
                case "--max-batch-tokens" -> r.maxBatchTokens = (int) CommandLine.positive(option, value, 1);
                case "--backend" -> r.backend = CommandLine.oneOf(option, value, "native", "torchscript");
                case "--precision" -> r.precision = CommandLine.oneOf(option, value, "fp32", "bf16");
                case "--threads" -> r.threads = (int) CommandLine.positive(option, value, 1);
                case "--out" -> r.out = Path.of(value);
                default -> {
                    return false;
                }
            }
            return true;
        });
        Workload.of(r.workload, BenchModel.TINY, Workload.UNIFORM_DOCUMENTS); // rejects an unknown name now
        return r;
    }

    /** The token budget as run: the library's default unless {@code --max-batch-tokens} was given. */
    private String budget() {
        return maxBatchTokens == 0 ? "default" : String.valueOf(maxBatchTokens);
    }

    /** glibc's arena limit as the process was started with it; glibc reads it only at start-up. */
    private static String arenas() {
        String max = System.getenv("MALLOC_ARENA_MAX");
        return max == null ? "glibc's default" : "MALLOC_ARENA_MAX=" + max;
    }

    private void run() throws Exception {
        Memory.read(); // fail before the model loads, not after
        Activity.read();
        probeMillis(); // compiled before the first reading
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (!jvmArgs.contains("-XX:+AlwaysPreTouch")) {
            System.out.println("warning: started without -XX:+AlwaysPreTouch, so Java heap pages touched for the first"
                    + " time during the run count as growth; start with -Xms256m -Xmx256m -XX:+AlwaysPreTouch to measure"
                    + " native memory alone");
        }
        DjlRuntime.keepOffline();
        BenchModel generated = BenchModel.of(model);
        Path dir = generated.directory();
        Vocabulary vocabulary = Vocabulary.of(generated);
        Files.createDirectories(out);
        try (DjlReranker reranker = RerankBenchmark.build(dir, backend, precision, batchSize, maxBatchTokens, 0, true);
                Queries queries = new Queries(reranker, vocabulary)) {
            // Generating the model leaves garbage whose cleaners free native memory: gone before warm-up.
            Memory loaded = Memory.afterGc();
            System.out.printf(Locale.ROOT, "%s, %s, %s %s, batch %d, max batch tokens %s, malloc: %s, arenas: %s;"
                    + " %s; caller threads %d; RSS after load %.1f MB%n", model, workload, backend, precision,
                    batchSize, budget(), NativeMemory.state(), arenas(), NativeMemory.primitiveCaches(), threads,
                    mb(loaded.rss));
            System.out.printf(Locale.ROOT, "warm-up: %,d pairs...%n", warmupPairs);
            long warmupBegin = System.nanoTime();
            queries.score(warmupPairs);
            double warmupSeconds = (System.nanoTime() - warmupBegin) / 1e9;
            Memory start = Memory.afterGc();

            long begin = System.nanoTime();
            JsonArray samples = new JsonArray();
            System.out.printf(Locale.ROOT, "%10s %9s %9s %9s %9s %9s %9s %9s %9s %11s %7s %8s  %s%n", "pairs",
                    "seconds", "RSS MB", "growth", "heap MB", "malloc MB", "in use MB", "pairs/s", "CPU %",
                    "faults/pair", "steal %", "probe ms", "most faults");
            samples.add(sample(0, 0, start, start, null));
            long scored = 0;
            Memory end = start;
            long lowest = start.rss;
            long highest = start.rss;
            for (int s = 1; s <= SAMPLES; s++) {
                long target = pairs * s / SAMPLES;
                Activity before = Activity.read();
                queries.score(target - scored);
                Stretch stretch = Activity.read().since(before, target - scored);
                scored = target;
                end = Memory.afterGc();
                lowest = Math.min(lowest, end.rss);
                highest = Math.max(highest, end.rss);
                samples.add(sample(scored, (System.nanoTime() - begin) / 1e9, end, start, stretch));
            }
            double seconds = (System.nanoTime() - begin) / 1e9;

            JsonObject json = new JsonObject();
            json.addProperty("model", model);
            json.addProperty("workload", workload);
            json.addProperty("backend", backend);
            json.addProperty("precision", precision);
            json.addProperty("caller_threads", threads);
            json.addProperty("batch_size", batchSize);
            json.addProperty("max_batch_tokens", budget());
            json.addProperty("pairs", pairs);
            json.addProperty("warmup_pairs", warmupPairs);
            json.addProperty("malloc", NativeMemory.state());
            json.addProperty("primitive_caches", NativeMemory.primitiveCaches());
            json.addProperty("malloc_arenas", arenas());
            json.addProperty("max_heap_mb", mb(Runtime.getRuntime().maxMemory()));
            json.addProperty("jvm_args", String.join(" ", jvmArgs));
            json.addProperty("warmup_seconds", round1(warmupSeconds));
            json.addProperty("rss_mb_after_load", mb(loaded.rss));
            json.addProperty("rss_mb_after_warmup", mb(start.rss));
            json.addProperty("rss_mb_end", mb(end.rss));
            json.addProperty("growth_mb", mb(end.rss - start.rss));
            json.addProperty("rss_mb_lowest", mb(lowest));
            json.addProperty("rss_mb_highest", mb(highest));
            json.addProperty("hwm_mb_after_warmup", mb(start.hwm));
            json.addProperty("hwm_mb_end", mb(end.hwm));
            json.add("samples", samples);
            json.addProperty("seconds", round1(seconds));
            Path file = out.resolve("rss.json");
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json),
                    StandardCharsets.UTF_8);
            System.out.printf(Locale.ROOT, "RSS %.1f MB after warm-up, %.1f MB after %,d pairs: growth %+.1f MB "
                    + "(target < 50); readings %.1f-%.1f MB, peak %.1f MB, %.0f s, %.1f pairs/s; wrote %s%n",
                    mb(start.rss), mb(end.rss), pairs, mb(end.rss - start.rss), mb(lowest), mb(highest), mb(end.hwm),
                    seconds, pairs / seconds, file);
        }
    }

    /** Iterations of {@link #probeMillis()}'s loop: about 50 ms on the 2.5 GHz Xeon measured. */
    private static final int PROBE_ITERATIONS = 20_000_000;
    private static volatile double probeSink;

    /**
     * Milliseconds that a fixed single-threaded arithmetic loop takes now, the best of three: how
     * fast the machine runs at this reading. If scoring slows while this does not, the cause is in
     * the process; if this slows too, it is the host (a lower clock, a busy sibling hyperthread),
     * which steal time does not show.
     */
    static double probeMillis() {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long begin = System.nanoTime();
            double a = 1;
            double b = 2;
            double c = 3;
            double d = 4;
            for (int i = 0; i < PROBE_ITERATIONS; i++) { // four independent chains keep both FMA ports busy
                a = a * 0.9999999 + 1e-7;
                b = b * 0.9999999 + 1e-7;
                c = c * 0.9999999 + 1e-7;
                d = d * 0.9999999 + 1e-7;
            }
            best = Math.min(best, (System.nanoTime() - begin) / 1e6);
            probeSink = a + b + c + d;
        }
        return best;
    }

    private static JsonObject sample(long pairs, double seconds, Memory now, Memory start, Stretch stretch) {
        double probe = probeMillis();
        String held = "-";
        String inUse = "-";
        String rate = "-";
        String cpu = "-";
        String faults = "-";
        String steal = "-";
        String largest = "-";
        JsonObject sample = new JsonObject();
        sample.addProperty("pairs", pairs);
        sample.addProperty("rss_mb", mb(now.rss));
        sample.addProperty("heap_committed_mb", mb(now.heapCommitted));
        sample.addProperty("probe_ms", round1(probe));
        if (now.malloc != null) { // null under a preloaded allocator: glibc's heap is idle then
            double heldMb = mb(now.malloc.held());
            double inUseMb = mb(now.malloc.inUse());
            sample.addProperty("malloc_held_mb", heldMb);
            sample.addProperty("malloc_in_use_mb", inUseMb);
            held = String.format(Locale.ROOT, "%.1f", heldMb);
            inUse = String.format(Locale.ROOT, "%.1f", inUseMb);
        }
        if (stretch != null) { // scoring alone since the last reading, without its collections
            sample.addProperty("pairs_per_s", round1(stretch.pairsPerSecond()));
            sample.addProperty("cpu_percent", round1(stretch.cpuPercent()));
            sample.addProperty("minor_faults_per_pair", round1(stretch.faultsPerPair()));
            rate = String.format(Locale.ROOT, "%.1f", stretch.pairsPerSecond());
            cpu = String.format(Locale.ROOT, "%.0f", stretch.cpuPercent());
            faults = String.format(Locale.ROOT, "%.1f", stretch.faultsPerPair());
            JsonObject byThread = new JsonObject();
            stretch.faultsByThread().forEach(byThread::addProperty);
            sample.add("minor_faults_by_thread", byThread);
            largest = ThreadFaults.largest(stretch.faultsByThread());
            if (stretch.stealPercent() >= 0) {
                sample.addProperty("steal_percent", round1(stretch.stealPercent()));
                steal = String.format(Locale.ROOT, "%.1f", stretch.stealPercent());
            }
        }
        System.out.printf(Locale.ROOT, "%,10d %9.1f %9.1f %+9.1f %9.1f %9s %9s %9s %9s %11s %7s %8.1f  %s%n", pairs,
                seconds, mb(now.rss), mb(now.rss - start.rss), mb(now.heapCommitted), held, inUse, rate, cpu, faults,
                steal, probe, largest);
        sample.addProperty("seconds", round1(seconds));
        return sample;
    }

    private static double mb(long bytes) {
        return round1(bytes / (1024.0 * 1024.0));
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /**
     * Queries of the chosen workload, a new seed each, scored until a count of pairs is reached; with
     * {@code --threads N}, each query from the next of N caller threads in turn, one query at a time,
     * as a server's request threads call a shared reranker.
     */
    private final class Queries implements AutoCloseable {
        private final DjlReranker reranker;
        private final Vocabulary vocabulary;
        private final ExecutorService[] callers;
        private long seed = Workload.SEED;
        private int next;

        Queries(DjlReranker reranker, Vocabulary vocabulary) {
            this.reranker = reranker;
            this.vocabulary = vocabulary;
            callers = new ExecutorService[threads == 1 ? 0 : threads];
            for (int i = 0; i < callers.length; i++) {
                String name = "caller-" + i;
                callers[i] = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
            }
        }

        /** Scores exactly {@code n} pairs; the last query is cut short if it would pass {@code n}. */
        void score(long n) throws Exception {
            while (n > 0) {
                Workload query = Workload.of(workload, vocabulary, Workload.UNIFORM_DOCUMENTS, seed++);
                List<String> documents = query.documents();
                if (documents.size() > n) {
                    documents = documents.subList(0, (int) n);
                }
                List<String> batch = documents;
                if (callers.length == 0) {
                    reranker.score(query.query(), batch);
                } else {
                    callers[next++ % callers.length].submit(() -> reranker.score(query.query(), batch)).get();
                }
                n -= documents.size();
            }
        }

        @Override
        public void close() {
            for (ExecutorService caller : callers) {
                caller.shutdown();
            }
        }
    }

    /**
     * What a stretch of scoring cost: wall time, the process's CPU time (two busy cores read 200%),
     * its minor page faults (pages touched for the first time, or again after malloc handed them
     * back), and the share of the machine's time that its hypervisor gave to others (steal; -1
     * where {@code /proc/stat} does not say). These tell a slow stretch caused by the allocator
     * (faults up) from one caused by the host (steal up, or CPU down with nothing else running).
     * The faults are also given by kind of thread ({@link ThreadFaults}), which tells whose memory a
     * step in RSS is: the model's (the predictor's thread) or the JVM's (its JIT compilers).
     */
    record Stretch(long pairs, double seconds, double cpuSeconds, long minorFaults, double stealPercent,
            Map<String, Long> faultsByThread) {

        double pairsPerSecond() {
            return pairs / seconds;
        }

        double cpuPercent() {
            return 100 * cpuSeconds / seconds;
        }

        double faultsPerPair() {
            return (double) minorFaults / pairs;
        }
    }

    /** Counters read from {@code /proc} at one moment; two readings make a {@link Stretch}. */
    record Activity(long nanos, long cpuNanos, long minorFaults, HostSteal host, ThreadFaults threads) {

        private static final Path SELF_STAT = Path.of("/proc/self/stat");

        static Activity read() {
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            try {
                long faults = ThreadFaults.minorFaults(Files.readString(SELF_STAT, StandardCharsets.US_ASCII));
                return new Activity(System.nanoTime(), cpu, faults, HostSteal.read(), ThreadFaults.read());
            } catch (IOException e) {
                throw new UncheckedIOException("RssGrowth reads " + SELF_STAT + ", so it runs on Linux only", e);
            }
        }

        Stretch since(Activity earlier, long pairs) {
            return new Stretch(pairs, (nanos - earlier.nanos) / 1e9, (cpuNanos - earlier.cpuNanos) / 1e9,
                    minorFaults - earlier.minorFaults, host.percentSince(earlier.host), threads.since(earlier.threads));
        }
    }

    /** The process's resident set size, its peak, and the Java heap's committed size, in bytes. */
    private record Memory(long rss, long hwm, long heapCommitted, NativeMemory.Heap malloc) {

        private static final Path STATUS = Path.of("/proc/self/status");

        /**
         * After full collections, so that Java garbage and what its cleaners free are gone; the pauses
         * let the cleaner threads run, which free direct buffers and native handles after a GC.
         */
        static Memory afterGc() {
            for (int i = 0; i < 3; i++) {
                System.gc();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for cleaners", e);
                }
            }
            return read();
        }

        static Memory read() {
            long rss = -1;
            long hwm = -1;
            try {
                for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kilobytes(line);
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = kilobytes(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("RssGrowth reads VmRSS from " + STATUS + ", so it runs on Linux only",
                        e);
            }
            if (rss < 0 || hwm < 0) {
                throw new IllegalStateException(STATUS + " has no VmRSS or VmHWM line; RssGrowth needs Linux's");
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
            return new Memory(rss, hwm, heap, NativeMemory.heap());
        }

        /** {@code VmRSS:     123456 kB} */
        private static long kilobytes(String line) {
            String[] fields = line.trim().split("\\s+");
            return Long.parseLong(fields[1]) * 1024;
        }
    }
}
