package dev.reranker.bench;

import ai.djl.pytorch.jni.JniUtils;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.internal.DjlRuntime;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Where a reranking call's time goes: the reason an effective GFLOP/s figure falls short of the
 * machine's matrix-multiply rate. Times a few calls of one query's documents, then runs one more
 * under libtorch's profiler and sorts its time into the linears (with their GFLOP/s, per shape),
 * attention (with its GFLOP/s), LayerNorm, element-wise operators, embeddings, copies and views,
 * the TorchScript interpreter between operators, and what ran outside libtorch (tokenizing,
 * packing, Java). Prints a table and writes {@code breakdown.json} and the profiler's Chrome trace
 * ({@code breakdown-trace.json}, for chrome://tracing or Perfetto).
 *
 * <pre>
 * java -cp reranker-bench/target/benchmarks.jar dev.reranker.bench.Breakdown \
 *     [--model minilm-l6] [--workload mixed] [--batch-size 32] [--precision fp32|bf16] [--calls 5] \
 *     [--out reranker-bench/target]
 * </pre>
 *
 * <p>The profiler adds a few microseconds per operator, so the profiled call is somewhat slower
 * than the timed ones; the shares are of the profiled call, the speeds of the timed ones.
 *
 * <p>The reranker runs with one predictor (all batches on one thread, with all of libtorch's
 * threads), not the library's default of two on a multi-core CPU: libtorch's profiler records
 * only the thread that starts it.
 */
public final class Breakdown {

    private static final String USAGE = "options: --model minilm-l6|xlmr-base|tiny --workload mixed|uniform-128|short"
            + " --batch-size N --precision fp32|bf16 --calls N --out DIR";
    private static final int WARMUP_CALLS = 3;

    /** The groups time is sorted into, in the order the table lists them. */
    static final String LINEARS = "linears";
    static final String ATTENTION = "attention";
    static final String LAYER_NORM = "layer norm";
    static final String ELEMENTWISE = "element-wise";
    static final String EMBEDDING = "embedding";
    static final String COPIES = "copies and views";
    static final String OTHER_OPS = "other operators";
    static final String INTERPRETER = "TorchScript interpreter";
    static final String OUTSIDE = "outside libtorch";

    private static final Map<String, String> GROUP_OF = new TreeMap<>();

    static {
        group(LINEARS, "mkldnn::_linear_pointwise", "aten::linear", "aten::addmm", "aten::mm", "aten::matmul",
                "aten::bmm");
        group(ATTENTION, "aten::scaled_dot_product_attention", "aten::_scaled_dot_product_flash_attention_for_cpu",
                "aten::softmax", "aten::_softmax");
        group(LAYER_NORM, "aten::layer_norm", "aten::native_layer_norm");
        group(ELEMENTWISE, "aten::add", "aten::add_", "aten::mul", "aten::mul_", "aten::div", "aten::sub",
                "aten::gelu", "aten::tanh", "aten::relu", "aten::sigmoid", "aten::rsub", "aten::where");
        group(EMBEDDING, "aten::embedding", "aten::index_select");
        group(COPIES, "aten::cat", "aten::copy_", "aten::to", "aten::_to_copy", "aten::contiguous", "aten::clone",
                "aten::view", "aten::reshape", "aten::transpose", "aten::t", "aten::permute", "aten::slice",
                "aten::select", "aten::narrow", "aten::unsqueeze", "aten::squeeze", "aten::as_strided",
                "aten::empty", "aten::empty_like", "aten::empty_strided", "aten::zeros", "aten::item",
                "aten::_local_scalar_dense");
    }

    private static void group(String group, String... operators) {
        for (String operator : operators) {
            GROUP_OF.put(operator, group);
        }
    }

    private String model = "minilm-l6";
    private String workload = "mixed";
    private int batchSize = 32;
    private String precision = "fp32";
    private int calls = 5;
    private Path out = Path.of("reranker-bench/target");

    private Breakdown() {}

    public static void main(String[] args) throws Exception {
        parse(args).run();
    }

    static Breakdown parse(String[] args) {
        Breakdown b = new Breakdown();
        CommandLine.read(args, USAGE, (option, value) -> {
            switch (option) {
                case "--model" -> b.model = BenchModel.of(value).id;
                case "--workload" -> b.workload = value;
                case "--batch-size" -> b.batchSize = (int) CommandLine.positive(option, value, 1);
                case "--precision" -> b.precision = CommandLine.oneOf(option, value, "fp32", "bf16");
                case "--calls" -> b.calls = (int) CommandLine.positive(option, value, 1);
                case "--out" -> b.out = Path.of(value);
                default -> {
                    return false;
                }
            }
            return true;
        });
        Workload.of(b.workload, BenchModel.TINY, Workload.UNIFORM_DOCUMENTS); // rejects an unknown name now
        return b;
    }

    private void run() throws Exception {
        DjlRuntime.keepOffline();
        BenchModel generated = BenchModel.of(model);
        Workload load = Workload.of(workload, generated, Workload.UNIFORM_DOCUMENTS);
        double flops = Workload.effectiveFlops(generated.shape(), load);
        Files.createDirectories(out);
        Path trace = out.resolve("breakdown-trace.json");
        double seconds;
        double profiledSeconds;
        try (DjlReranker reranker = RerankBenchmark.build(generated.directory(), "native", precision, batchSize, 0,
                1, true)) {
            for (int i = 0; i < WARMUP_CALLS; i++) {
                reranker.score(load.query(), load.documents());
            }
            long begin = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                reranker.score(load.query(), load.documents());
            }
            seconds = (System.nanoTime() - begin) / 1e9 / calls;
            // libtorch's profiler records the thread that starts it: the reranker's model thread.
            onModelThread(reranker, () -> {
                JniUtils.startProfile(false, true, false);
                return null;
            });
            long profiledBegin = System.nanoTime();
            try {
                reranker.score(load.query(), load.documents());
            } finally {
                profiledSeconds = (System.nanoTime() - profiledBegin) / 1e9;
                onModelThread(reranker, () -> {
                    JniUtils.stopProfile(trace.toString());
                    return null;
                });
            }
        }
        Profile profile = Profile.of(readTrace(trace), profiledSeconds * 1e6);
        int pairs = load.documents().size();
        System.out.printf(Locale.ROOT, "%s, %s, native %s, batch %d, one predictor: %.3f s per call of %d pairs,"
                + " %.1f pairs/s, effective %.1f GFLOP/s; profiled call %.3f s%n", model, workload, precision, batchSize, seconds,
                pairs, pairs / seconds, flops / seconds / 1e9, profiledSeconds);
        System.out.print(profile.table());

        JsonObject json = new JsonObject();
        json.addProperty("model", model);
        json.addProperty("workload", workload);
        json.addProperty("backend", "native");
        json.addProperty("precision", precision);
        json.addProperty("batch_size", batchSize);
        json.addProperty("seconds_per_call", seconds);
        json.addProperty("pairs_per_s", pairs / seconds);
        json.addProperty("effective_gflops", flops / seconds / 1e9);
        json.addProperty("profiled_seconds", profiledSeconds);
        json.add("groups", profile.groupsJson());
        json.add("linear_shapes", profile.linearsJson());
        json.addProperty("trace", trace.getFileName().toString());
        Files.writeString(out.resolve("breakdown.json"), new GsonBuilder().setPrettyPrinting().create().toJson(json)
                + "\n", StandardCharsets.UTF_8);
        System.out.println("wrote " + out.resolve("breakdown.json") + " and " + trace);
    }

    /**
     * Runs {@code task} on the thread where the reranker loaded its model and runs its batches,
     * through {@code DjlReranker.onModelThread}, which is package-private: a diagnostic tool's
     * need, not part of the library's API.
     */
    private static void onModelThread(DjlReranker reranker, Supplier<Object> task) {
        try {
            Method method = DjlReranker.class.getDeclaredMethod("onModelThread", Supplier.class);
            method.setAccessible(true);
            method.invoke(reranker, task);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DjlReranker.onModelThread is gone: " + e, e);
        }
    }

    /** The complete events ({@code "ph": "X"}) of a Chrome trace written by libtorch's profiler. */
    static List<Event> readTrace(Path file) throws IOException {
        JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        JsonArray array = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray(
                "traceEvents");
        if (array == null) {
            throw new IOException(file + " is not a Chrome trace: no event list");
        }
        List<Event> events = new ArrayList<>();
        for (JsonElement element : array) {
            JsonObject e = element.getAsJsonObject();
            if (!e.has("ph") || !"X".equals(e.get("ph").getAsString())) {
                continue;
            }
            List<long[]> shapes = new ArrayList<>();
            if (e.has("shape") && e.get("shape").isJsonArray()) {
                for (JsonElement shape : e.getAsJsonArray("shape")) {
                    JsonArray dims = shape.isJsonArray() ? shape.getAsJsonArray() : new JsonArray();
                    long[] d = new long[dims.size()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = dims.get(i).getAsLong();
                    }
                    shapes.add(d);
                }
            }
            events.add(new Event(e.get("name").getAsString(), e.get("tid").getAsString(), e.get("ts").getAsDouble(),
                    e.get("dur").getAsDouble(), shapes));
        }
        return events;
    }

    /**
     * One operator call of the trace.
     *
     * @param start microseconds
     * @param duration microseconds, its callees included
     * @param shapes its inputs' shapes (scalars and non-tensors empty)
     */
    record Event(String name, String thread, double start, double duration, List<long[]> shapes) {

        double end() {
            return start + duration;
        }

        /**
         * The shapes of its tensor inputs, in order. The profiler lists an input for every argument,
         * and for some operators (attention among them) a few empty ones before the tensors.
         */
        List<long[]> tensors() {
            return shapes.stream().filter(s -> s.length > 0).toList();
        }

        /** Multiply-add FLOPs of a linear or attention call, from its shapes; 0 when they do not say. */
        double flops() {
            List<long[]> t = tensors();
            if (name.equals("aten::scaled_dot_product_attention") && t.size() >= 2 && t.get(0).length == 4
                    && t.get(1).length == 4) {
                long[] q = t.get(0);
                long keys = t.get(1)[2];
                return 4.0 * q[0] * q[1] * q[2] * keys * q[3]; // Q K^T, then the weights times V
            }
            long[] weight = linearWeight();
            if (weight == null) {
                return 0;
            }
            long[] x = name.equals("aten::addmm") ? t.get(1) : t.get(0);
            double rows = 1;
            for (int i = 0; i < x.length - 1; i++) {
                rows *= x[i];
            }
            return 2.0 * rows * weight[0] * weight[1];
        }

        /** A linear's weight shape as "in x out", or null. */
        String linearShape() {
            long[] weight = linearWeight();
            return weight == null ? null : weight[0] + " x " + weight[1];
        }

        /** A linear's weight as {in, out}, or null for other operators and shapes that do not say. */
        private long[] linearWeight() {
            List<long[]> t = tensors();
            if ((name.equals("mkldnn::_linear_pointwise") || name.equals("aten::linear")) && t.size() >= 2
                    && t.get(1).length == 2) {
                return new long[] {t.get(1)[1], t.get(1)[0]}; // stored [out, in]
            }
            if (name.equals("aten::addmm") && t.size() >= 3 && t.get(1).length == 2 && t.get(2).length == 2) {
                return new long[] {t.get(2)[0], t.get(2)[1]}; // bias + x [rows, in] @ w [in, out]
            }
            return null;
        }
    }

    /** Time and work of one group, or of one linear shape. */
    static final class Tally {
        double micros;
        double flops;
        int calls;

        void add(double micros, double flops) {
            this.micros += micros;
            this.flops += flops;
            calls++;
        }

        /** GFLOP/s while running, or NaN for work without a FLOP count. */
        double gflops() {
            return flops > 0 && micros > 0 ? flops / micros / 1e3 : Double.NaN;
        }
    }

    /**
     * The profiled call's time by group. An operator of a group counts whole, callees included
     * (attention's own multiplies are attention's); an operator of no group counts only its own
     * time, its callees going to their groups. The TorchScript program's {@code forward} and other
     * frames that are not operators are the interpreter.
     */
    static final class Profile {
        final Map<String, Tally> groups = new LinkedHashMap<>();
        final Map<String, Tally> linears = new TreeMap<>();
        final double totalMicros;

        private Profile(double totalMicros) {
            this.totalMicros = totalMicros;
            for (String g : List.of(LINEARS, ATTENTION, LAYER_NORM, ELEMENTWISE, EMBEDDING, COPIES, OTHER_OPS,
                    INTERPRETER, OUTSIDE)) {
                groups.put(g, new Tally());
            }
        }

        /**
         * @param events the trace's events, any order
         * @param wallMicros how long the profiled call took; what no root event covers is outside libtorch
         */
        static Profile of(List<Event> events, double wallMicros) {
            Profile p = new Profile(wallMicros);
            Map<String, List<Event>> byThread = new TreeMap<>();
            for (Event e : events) {
                byThread.computeIfAbsent(e.thread(), t -> new ArrayList<>()).add(e);
            }
            double covered = 0;
            for (List<Event> thread : byThread.values()) {
                thread.sort(Comparator.comparingDouble(Event::start).thenComparing(Event::duration,
                        Comparator.reverseOrder()));
                Deque<Frame> stack = new ArrayDeque<>();
                for (Event e : thread) {
                    while (!stack.isEmpty() && stack.peek().event.end() <= e.start()) {
                        p.close(stack.pop());
                    }
                    Frame parent = stack.peek();
                    if (parent == null) {
                        covered += e.duration();
                    } else {
                        parent.callees += e.duration();
                    }
                    boolean inGroup = parent != null && parent.grouped;
                    String group = GROUP_OF.get(e.name());
                    if (!inGroup && group != null) {
                        p.groups.get(group).add(e.duration(), e.flops());
                        String shape = e.linearShape();
                        if (group.equals(LINEARS) && shape != null) {
                            p.linears.computeIfAbsent(shape, s -> new Tally()).add(e.duration(), e.flops());
                        }
                    }
                    stack.push(new Frame(e, inGroup || group != null));
                }
                while (!stack.isEmpty()) {
                    p.close(stack.pop());
                }
            }
            p.groups.get(OUTSIDE).micros = Math.max(0, wallMicros - covered);
            return p;
        }

        /** An ungrouped frame's own time (its duration less its callees') goes to its kind. */
        private void close(Frame frame) {
            if (frame.grouped) {
                return;
            }
            String name = frame.event.name();
            Tally tally = groups.get(name.contains("::") ? OTHER_OPS : INTERPRETER);
            tally.micros += Math.max(0, frame.event.duration() - frame.callees);
            tally.calls++;
        }

        String table() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-24s %10s %8s %8s %10s%n", "group",
                    "ms", "share", "calls", "GFLOP/s"));
            for (Map.Entry<String, Tally> g : groups.entrySet()) {
                s.append(row(g.getKey(), g.getValue()));
            }
            for (Map.Entry<String, Tally> l : linears.entrySet()) {
                s.append(row("  linear " + l.getKey(), l.getValue()));
            }
            return s.toString();
        }

        private String row(String name, Tally t) {
            double gflops = t.gflops();
            return String.format(Locale.ROOT, "%-24s %10.1f %7.1f%% %8d %10s%n", name, t.micros / 1e3,
                    100 * t.micros / totalMicros, t.calls, Double.isNaN(gflops) ? "" : String.format(Locale.ROOT,
                            "%.1f", gflops));
        }

        JsonArray groupsJson() {
            JsonArray array = new JsonArray();
            groups.forEach((name, t) -> array.add(json(name, t)));
            return array;
        }

        JsonArray linearsJson() {
            JsonArray array = new JsonArray();
            linears.forEach((shape, t) -> array.add(json(shape, t)));
            return array;
        }

        private JsonObject json(String name, Tally t) {
            JsonObject o = new JsonObject();
            o.addProperty("name", name);
            o.addProperty("ms", t.micros / 1e3);
            o.addProperty("share", t.micros / totalMicros);
            o.addProperty("calls", t.calls);
            if (!Double.isNaN(t.gflops())) {
                o.addProperty("gflops", t.gflops());
            }
            return o;
        }
    }

    /** An open event: whether it or a caller is in a group, and its callees' time so far. */
    private static final class Frame {
        final Event event;
        final boolean grouped;
        double callees;

        Frame(Event event, boolean grouped) {
            this.event = event;
            this.grouped = grouped;
        }
    }
}
