package dev.reranker.bench;

import dev.reranker.djl.Backend;
import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.Precision;
import dev.reranker.djl.internal.DjlRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reranking throughput: one operation scores every document of one query, so pairs/s = ops/s x
 * documents per query (100 in {@code mixed}, {@code uniformDocuments} in {@code uniform-128}); the
 * {@code pairs} counter reports that rate directly. Effective GFLOP/s = ops/s x
 * {@link Workload#effectiveFlops} / 1e9.
 *
 * <pre>
 * java -jar reranker-bench/target/benchmarks.jar RerankBenchmark -p model=minilm-l6 -p workload=mixed \
 *     -p batchSize=8,32 -p backend=native,torchscript -p precision=fp32,bf16 -p batching=sorted,unsorted
 * </pre>
 *
 * <p>{@code model} is a generated model of a real shape ({@code minilm-l6}, {@code xlmr-base},
 * {@code tiny}; see {@link BenchModel}) or a real model's directory, whose texts are then made of
 * words its tokenizer reads as one token each ({@link Vocabulary#probe}). {@code batching=sorted} is the library's default, which
 * sorts pairs by length before cutting batches; {@code unsorted} turns that off
 * ({@code sortByLength(false)}): input order, batches of {@code batchSize} (fewer pairs where the
 * library's {@code maxBatchTokens} cuts them), each padded to its own longest pair.
 * Backends: {@code native} and {@code torchscript} are this library; the peers {@code djl-stock}
 * (DJL's CrossEncoderTranslator on the TorchScript twin) and {@code onnxruntime} (the same on ONNX
 * Runtime) score all pairs of a query in one call padded to the longest, as their users write it,
 * so {@code batchSize}, {@code batching} and {@code precision} do not apply to them. The twins
 * ({@code model.pt}, {@code model.onnx}, same weights) are made by
 * {@code reranker-bench/scripts/make_models.py --from DIR [--onnx]} (Debian's python3-torch), which
 * the set-up runs when one is missing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class RerankBenchmark {

    @Param("minilm-l6")
    public String model;

    @Param({"mixed"})
    public String workload;

    @Param({"1", "4", "8", "16", "32", "64"})
    public int batchSize;

    @Param("native")
    public String backend;

    @Param("fp32")
    public String precision;

    @Param("sorted")
    public String batching;

    /** The library's {@code maxBatchTokens}; 0 leaves its default. */
    @Param("0")
    public int maxBatchTokens;

    /** The library's {@code predictors}; 0 leaves its default. */
    @Param("0")
    public int predictors;

    /** Documents per query in {@code uniform-128}. */
    @Param("" + Workload.UNIFORM_DOCUMENTS)
    public int uniformDocuments;

    private DjlReranker reranker;
    private StockRoute stock;
    private Workload load;

    /** Pairs scored, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Pairs {
        public long pairs;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // The stock routes touch DJL directly, and the vocabulary probe loads a tokenizer: offline first.
        DjlRuntime.keepOffline();
        BenchModel generated = BenchModel.find(model);
        Path dir = generated != null ? generated.directory() : realModel(model);
        load = Workload.of(workload, generated != null ? Vocabulary.of(generated) : Vocabulary.probe(dir),
                uniformDocuments);
        switch (backend) {
            case "djl-stock":
                TorchScriptTwin.ensure(dir, false);
                stock = StockRoute.load(dir, "PyTorch");
                return;
            case "onnxruntime":
                TorchScriptTwin.ensure(dir, true);
                stock = StockRoute.load(dir, "OnnxRuntime");
                return;
            default:
                break;
        }
        if (!backend.equals("native") && !backend.equals("torchscript")) {
            throw new IllegalArgumentException("backend must be native, torchscript, djl-stock or onnxruntime, was "
                    + backend);
        }
        if (!batching.equals("sorted") && !batching.equals("unsorted")) {
            throw new IllegalArgumentException("batching must be sorted or unsorted, was " + batching);
        }
        reranker = build(dir, backend, precision, batchSize, maxBatchTokens, predictors, batching.equals("sorted"));
    }

    /**
     * This library's reranker on {@code dir}, as the benchmarks run it: {@code backend} native or
     * torchscript (whose twin is made if missing), {@code maxBatchTokens} and {@code predictors} 0 for
     * the library's default.
     */
    static DjlReranker build(Path dir, String backend, String precision, int batchSize, int maxBatchTokens,
            int predictors, boolean sortByLength) throws IOException, InterruptedException {
        Backend engine = Backend.valueOf(backend.toUpperCase(Locale.ROOT));
        if (engine == Backend.TORCHSCRIPT) {
            TorchScriptTwin.ensure(dir, false);
        }
        DjlReranker.Builder builder = DjlReranker.builder()
                .model(dir)
                .backend(engine)
                .precision(Precision.valueOf(precision.toUpperCase(Locale.ROOT)))
                .batchSize(batchSize)
                .sortByLength(sortByLength);
        if (maxBatchTokens != 0) {
            builder.maxBatchTokens(maxBatchTokens);
        }
        if (predictors != 0) {
            builder.predictors(predictors);
        }
        return builder.build();
    }

    private static Path realModel(String model) {
        Path dir = Path.of(model);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model must be minilm-l6, xlmr-base, tiny or a model directory, was "
                    + model);
        }
        return dir;
    }

    @Benchmark
    public float[] score(Pairs pairs) throws Exception {
        pairs.pairs += load.documents.size();
        if (stock != null) {
            return stock.score(load.query, load.documents); // all pairs at once, as the stock route does
        }
        return reranker.score(load.query, load.documents);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (reranker != null) {
            reranker.close();
        }
        if (stock != null) {
            stock.close();
        }
    }
}
