package dev.reranker.bench;

import dev.reranker.djl.Backend;
import dev.reranker.djl.DjlReranker;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

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
 * Reranking throughput against batch size: one operation scores {@code documents} documents for
 * one query, so documents per second is {@code documents} times the reported operations per
 * second.
 *
 * <pre>
 * java -jar reranker-bench/target/benchmarks.jar ThroughputBenchmark -p batchSize=8,32 -p model=/path/to/model \
 *     -p backend=NATIVE,TORCHSCRIPT
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ThroughputBenchmark {

    /** A model directory, or the name of a model bundled in the jar. */
    @Param("tiny-bert-torchscript")
    public String model;

    @Param({"1", "4", "8", "16", "32", "64"})
    public int batchSize;

    @Param("100")
    public int documents;

    /** {@code AUTO}, {@code NATIVE} or {@code TORCHSCRIPT}; see {@link Backend}. */
    @Param("AUTO")
    public String backend;

    private DjlReranker reranker;
    private List<String> docs;
    private final String query = "how does a cross encoder rank documents for search";

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        reranker = DjlReranker.builder()
                .model(BenchModels.resolve(model))
                .backend(Backend.valueOf(backend))
                .batchSize(batchSize)
                .build();
        Random random = new Random(42);
        String[] words = {"search", "rank", "document", "query", "the", "model", "reads", "both", "java",
            "relevance", "score", "panda", "bear", "cross", "encoder", "library", "fast", "batch"};
        docs = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            StringBuilder b = new StringBuilder();
            int length = 5 + random.nextInt(40);
            for (int w = 0; w < length; w++) {
                b.append(words[random.nextInt(words.length)]).append(' ');
            }
            docs.add(b.toString().trim());
        }
    }

    @Benchmark
    public float[] score() {
        return reranker.score(query, docs);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reranker.close();
    }
}
