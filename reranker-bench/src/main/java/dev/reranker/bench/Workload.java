package dev.reranker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One query and its candidate documents, made of one-token words (see {@link Vocabulary}) so every
 * pair has an exact token length. Fixed seeds: the same workload every run; {@link RssGrowth} asks
 * for a different seed per query, so it scores new texts and new lengths each time.
 *
 * <ul>
 *   <li>{@code uniform-128}: {@code uniformDocuments} documents, every pair exactly 128 tokens,
 *       special tokens included;
 *   <li>{@code mixed}: 100 documents whose lengths follow a log-normal with median 120 tokens and
 *       about 5% longer than 512 (those are truncated to 512), as first-stage retrieval returns them;
 *   <li>{@code short}: 100 documents of 24 to 40 tokens (uniform), the length of titles and
 *       snippets in passage retrieval.
 * </ul>
 *
 * The query is 10 tokens in all.
 */
public final class Workload {

    static final int QUERY_TOKENS = 10;
    static final int MAX_LENGTH = 512;
    static final int MIXED_DOCUMENTS = 100;
    static final int SHORT_DOCUMENTS = 100;
    static final int SHORT_MIN_TOKENS = 24;
    static final int SHORT_MAX_TOKENS = 40;
    /** Documents per query in {@code uniform-128}, wherever a benchmark does not set it. */
    public static final int UNIFORM_DOCUMENTS = 64;
    /** The seed of {@link #of(String, Vocabulary, int)}: the benchmarks' one workload. */
    static final long SEED = 7;
    /** sigma so that P(length > 512) = 5% for a median of 120: ln(512 / 120) / 1.645. */
    private static final double SIGMA = Math.log(512.0 / 120.0) / 1.645;

    final String query;
    final List<String> documents;
    /** Each pair's real (non-padding) tokens after truncation to 512. */
    private final int[] pairTokens;

    private Workload(String query, List<String> documents, int[] pairTokens) {
        this.query = query;
        this.documents = List.copyOf(documents);
        this.pairTokens = pairTokens;
    }

    /** A workload of a generated model, whose words are {@code w5, w6, ...}. */
    public static Workload of(String name, BenchModel model, int uniformDocuments) {
        return of(name, Vocabulary.of(model), uniformDocuments);
    }

    /**
     * @param name {@code uniform-128}, {@code mixed} or {@code short}
     * @param uniformDocuments documents per query in {@code uniform-128}
     */
    public static Workload of(String name, Vocabulary vocabulary, int uniformDocuments) {
        return of(name, vocabulary, uniformDocuments, SEED);
    }

    /** The same kind of workload with other texts and lengths: one more query of a stream. */
    static Workload of(String name, Vocabulary vocabulary, int uniformDocuments, long seed) {
        Random random = new Random(seed);
        int special = vocabulary.specialTokens();
        String query = words(random, vocabulary, QUERY_TOKENS);
        List<Integer> lengths = new ArrayList<>();
        switch (name) {
            case "uniform-128":
                if (uniformDocuments <= 0) {
                    throw new IllegalArgumentException("uniformDocuments must be positive, was " + uniformDocuments);
                }
                for (int i = 0; i < uniformDocuments; i++) {
                    lengths.add(128 - special - QUERY_TOKENS);
                }
                break;
            case "mixed":
                for (int i = 0; i < MIXED_DOCUMENTS; i++) {
                    lengths.add((int) Math.max(1, Math.round(Math.exp(Math.log(120) + SIGMA * random.nextGaussian()))));
                }
                break;
            case "short":
                for (int i = 0; i < SHORT_DOCUMENTS; i++) {
                    lengths.add(SHORT_MIN_TOKENS + random.nextInt(SHORT_MAX_TOKENS - SHORT_MIN_TOKENS + 1));
                }
                break;
            default:
                throw new IllegalArgumentException("workload must be uniform-128, mixed or short, was " + name);
        }
        List<String> documents = new ArrayList<>(lengths.size());
        int[] pairTokens = new int[lengths.size()];
        for (int i = 0; i < lengths.size(); i++) {
            documents.add(words(random, vocabulary, lengths.get(i)));
            pairTokens[i] = Math.min(MAX_LENGTH, special + QUERY_TOKENS + lengths.get(i));
        }
        return new Workload(query, documents, pairTokens);
    }

    private static String words(Random random, Vocabulary vocabulary, int n) {
        List<String> words = vocabulary.words();
        StringBuilder b = new StringBuilder(n * 7);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
        }
        return b.toString();
    }

    public String query() {
        return query;
    }

    public List<String> documents() {
        return documents;
    }

    /** Each pair's real (non-padding) tokens after truncation to 512, in document order. */
    public int[] pairTokens() {
        return pairTokens.clone();
    }

    /**
     * FLOPs the model must do on the real tokens of every pair of the workload (one benchmark
     * operation); effective GFLOP/s = {@code effectiveFlops x ops/s / 1e9}. Padding is not counted.
     * See {@link EncoderShape} for the formula.
     */
    public static double effectiveFlops(EncoderShape shape, Workload workload) {
        double total = 0;
        for (int tokens : workload.pairTokens) {
            total += shape.flops(tokens);
        }
        return total;
    }
}
