package dev.reranker.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import dev.reranker.djl.internal.CpuFeatures;
import dev.reranker.djl.internal.DjlRuntime;
import dev.reranker.djl.internal.NativeMemory;
import dev.reranker.djl.internal.nativemodel.LayerPrograms;

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
 * The machine's limit: an {@code n x n x n} matrix multiply through the same engine the library
 * uses, by either of libtorch's routes: {@code eager}, DJL's {@code matMul} (libtorch's default:
 * MKL for fp32), and {@code onednn}, oneDNN's linear in the TorchScript program
 * {@code onednn_linear.pt} (the route the library's layers take on a CPU). The headline takes the
 * faster as the limit (oneDNN has no bf16 without AVX-512, and its set-up then fails with a message
 * saying so). GFLOP/s = {@code 2 n^3 x ops/s / 1e9}. bf16 operands come from the library's
 * {@code to_bf16} program (DJL 0.36 aborts on bf16 arrays made from Java).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class GemmBenchmark {

    @Param("2048")
    public int n;

    @Param({"fp32", "bf16"})
    public String dtype;

    @Param({"eager", "onednn"})
    public String route;

    private NDManager manager;
    private NDArray a;
    private NDArray b;
    private LayerPrograms.Program linear; // onednn only
    private ParameterStore parameters; // for the TorchScript programs: the bf16 cast, the oneDNN linear

    @Setup(Level.Trial)
    public void setUp() {
        DjlRuntime.keepOffline();
        NativeMemory.tune();
        manager = Engine.getEngine("PyTorch").newBaseManager();
        a = manager.randomNormal(new Shape(n, n));
        b = manager.randomNormal(new Shape(n, n));
        parameters = new ParameterStore(manager, false);
        if (dtype.equals("bf16")) {
            try (LayerPrograms.Program cast = LayerPrograms.load("to_bf16", manager.getDevice())) {
                a = cast.run(parameters, new NDList(a));
                b = cast.run(parameters, new NDList(b));
            }
        } else if (!dtype.equals("fp32")) {
            throw new IllegalArgumentException("dtype must be fp32 or bf16, was " + dtype);
        }
        if (route.equals("onednn")) {
            linear = LayerPrograms.load(GemmBenchmark.class, "onednn_linear", manager.getDevice());
            try {
                multiply();
            } catch (RuntimeException e) {
                tearDown();
                throw new IllegalStateException("oneDNN cannot multiply " + dtype + " on this CPU"
                        + (dtype.equals("bf16") ? CpuFeatures.whyNoOneDnnBf16().map(why -> " (its " + why + ")")
                                .orElse("") : "")
                        + "; route=eager runs it (the cause below is oneDNN's own error)", e);
            }
        } else if (!route.equals("eager")) {
            throw new IllegalArgumentException("route must be eager or onednn, was " + route);
        }
    }

    /** One multiply; returns a corner of the result so the work cannot be skipped. */
    @Benchmark
    public float multiply() {
        // a b and a b^T cost the same; b is square
        try (NDArray c = linear == null ? a.matMul(b) : linear.run(parameters, new NDList(a, b))) {
            try (NDArray corner = c.get("0, 0").toType(DataType.FLOAT32, false)) {
                return corner.getFloat();
            }
        }
    }

    /** GFLOP/s for a measured throughput. */
    static double gflops(int n, double opsPerSecond) {
        return 2.0 * n * n * n * opsPerSecond / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (linear != null) {
            linear.close();
        }
        manager.close();
    }
}
