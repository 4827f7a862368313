package dev.reranker.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.Precision;
import dev.reranker.djl.train.TrainingData;
import dev.reranker.djl.train.TrainingExample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * How far bf16 scores stray from fp32 on a trained model, the accuracy half of the bf16 target:
 * the share of queries whose top 10 comes out in the same order, and the largest score difference.
 * Each query of a relevance file ({@code {"query", "pos", "neg"}} lines) gets its own documents
 * topped up with random documents of other queries to {@code --candidates}, as a first stage would
 * hand over; both precisions score the same lists.
 *
 * <pre>java -cp reranker-bench/target/benchmarks.jar dev.reranker.bench.Bf16Agreement \
 *     --model DIR --data eval.jsonl [--candidates 100] [--queries 200] [--seed 1] [--route bf16|bf16-weights]</pre>
 *
 * <p>{@code --route bf16} (the default) compares the library's bf16 mode with fp32.
 * {@code --route bf16-weights} compares fp32 with fp32 run on a copy of the checkpoint whose weights
 * are rounded to bf16: the part of the difference any bf16 multiply inherits, however it computes,
 * because both of its operands are bf16.
 *
 * <p>Prints a summary and writes {@code reranker-bench/target/bf16-agreement.json}. Random-weight
 * models are no use here (their scores bunch up), so it takes a trained checkpoint; the
 * {@code FineTune} example makes one offline.
 */
public final class Bf16Agreement {

    private static final int TOP = 10;

    private Bf16Agreement() {}

    /** What is compared with fp32. */
    enum Route {
        /** The library's bf16 mode. */
        BF16,
        /** fp32 on the checkpoint's weights rounded to bf16. */
        BF16_WEIGHTS;

        static Route of(String name) {
            return switch (name) {
                case "bf16" -> BF16;
                case "bf16-weights" -> BF16_WEIGHTS;
                default -> throw new IllegalArgumentException("--route must be bf16 or bf16-weights, was " + name);
            };
        }
    }

    /** What one comparison found. */
    record Result(int queries, int candidates, int sameTop10, double maxDifference, double meanDifference) {
        double sameTop10Share() {
            return (double) sameTop10 / queries;
        }
    }

    public static void main(String[] args) throws IOException {
        Path model = null;
        Path data = null;
        int candidates = 100;
        int queries = 200;
        long seed = 1;
        Route route = Route.BF16;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--candidates" -> candidates = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--route" -> route = Route.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: --model DIR --data FILE.jsonl [--candidates N] [--queries N] [--seed N]"
                        + " [--route bf16|bf16-weights]");
            }
        }
        if (model == null || data == null) {
            throw new IllegalArgumentException("--model DIR and --data FILE.jsonl are required");
        }
        long start = System.nanoTime();
        Result r = compare(model, route, TrainingData.read(data), candidates, queries, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        String compared = route == Route.BF16 ? "bf16" : "fp32 on bf16 weights";
        System.out.printf(Locale.ROOT, "%d queries x %d candidates: top-%d order identical for %d (%.1f%%);"
                + " |%s - fp32| max %.4f, mean %.5f (%.0f s)%n", r.queries(), r.candidates(), TOP, r.sameTop10(),
                100 * r.sameTop10Share(), compared, r.maxDifference(), r.meanDifference(), seconds);
        JsonObject json = new JsonObject();
        json.addProperty("model", model.toString());
        json.addProperty("route", route == Route.BF16 ? "bf16" : "bf16-weights");
        json.addProperty("data", data.toString());
        json.addProperty("queries", r.queries());
        json.addProperty("candidates", r.candidates());
        json.addProperty("same_top10_share", r.sameTop10Share());
        json.addProperty("max_abs_difference", r.maxDifference());
        json.addProperty("mean_abs_difference", r.meanDifference());
        json.addProperty("seconds", seconds);
        Path out = Path.of("reranker-bench/target/bf16-agreement.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(json));
    }

    static Result compare(Path model, Route route, TrainingData data, int candidates, int queries, long seed)
            throws IOException {
        if (route == Route.BF16) {
            return compare(model, model, Precision.BF16, data, candidates, queries, seed);
        }
        Path rounded = Files.createTempDirectory("bf16-weights");
        try {
            Bf16Weights.copy(model, rounded);
            return compare(model, rounded, Precision.FP32, data, candidates, queries, seed);
        } finally {
            BenchModel.deleteTree(rounded);
        }
    }

    /** Scores every query's candidates with fp32 on {@code model} and {@code precision} on {@code other}. */
    private static Result compare(Path model, Path other, Precision precision, TrainingData data, int candidates,
            int queries, long seed) {
        List<TrainingExample> examples = data.examples().subList(0, Math.min(queries, data.examples().size()));
        List<String> corpus = data.documents();
        Random random = new Random(seed);
        int same = 0;
        double max = 0;
        double sum = 0;
        long scored = 0;
        try (DjlReranker fp32 = DjlReranker.builder().model(model).build();
                DjlReranker second = DjlReranker.builder().model(other).precision(precision).build()) {
            for (TrainingExample e : examples) {
                List<String> documents = candidates(e, corpus, candidates, random);
                float[] a = fp32.score(e.query(), documents);
                float[] b = second.score(e.query(), documents);
                if (Arrays.equals(top(a), top(b))) {
                    same++;
                }
                for (int i = 0; i < a.length; i++) {
                    double d = Math.abs(a[i] - b[i]);
                    max = Math.max(max, d);
                    sum += d;
                    scored++;
                }
            }
        }
        return new Result(examples.size(), candidates, same, max, sum / scored);
    }

    private static List<String> candidates(TrainingExample e, List<String> corpus, int size, Random random) {
        Set<String> out = new LinkedHashSet<>(e.positives());
        out.addAll(e.negatives());
        int limit = Math.min(size, corpus.size());
        while (out.size() < limit) {
            out.add(corpus.get(random.nextInt(corpus.size())));
        }
        List<String> list = new ArrayList<>(out);
        java.util.Collections.shuffle(list, random);
        return list;
    }

    /** The indexes of the best {@link #TOP} scores, best first (ties by index). */
    static int[] top(float[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        int n = Math.min(TOP, order.length);
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            top[i] = order[i];
        }
        return top;
    }
}
