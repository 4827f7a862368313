package dev.reranker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One query and its candidate documents, made of synthetic one-token words so every pair has an
 * exact token length.
 *
 * <ul>
 *   <li>{@code uniform-128}: every pair is 128 tokens, special tokens included;
 *   <li>{@code mixed}: 100 documents whose lengths follow a log-normal with median 120 tokens and
 *       about 5% longer than 512 (those are truncated to 512), as first-stage retrieval returns them.
 * </ul>
 */
public final class Workload {

    static final int QUERY_TOKENS = 10;
    static final int MAX_LENGTH = 512;
    /** sigma so that P(length > 512) = 5% for a median of 120: ln(512 / 120) / 1.645. */
    private static final double SIGMA = Math.log(512.0 / 120.0) / 1.645;

    final String query;
    final List<String> documents;
    /** Each pair's real (non-padding) tokens after truncation to 512. */
    final int[] pairTokens;

    private Workload(String query, List<String> documents, int[] pairTokens) {
        this.query = query;
        this.documents = List.copyOf(documents);
        this.pairTokens = pairTokens;
    }

    public static Workload of(String name, BenchModel model, int uniformDocuments) {
        Random random = new Random(7);
        int special = model.specialTokens();
        String query = words(random, model, QUERY_TOKENS);
        List<String> documents = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        switch (name) {
            case "uniform-128":
                for (int i = 0; i < uniformDocuments; i++) {
                    lengths.add(128 - special - QUERY_TOKENS);
                }
                break;
            case "mixed":
                for (int i = 0; i < 100; i++) {
                    lengths.add((int) Math.max(1, Math.round(Math.exp(Math.log(120) + SIGMA * random.nextGaussian()))));
                }
                break;
            default:
                throw new IllegalArgumentException("workload must be uniform-128 or mixed, was " + name);
        }
        int[] pairTokens = new int[lengths.size()];
        for (int i = 0; i < lengths.size(); i++) {
            documents.add(words(random, model, lengths.get(i)));
            pairTokens[i] = Math.min(MAX_LENGTH, special + QUERY_TOKENS + lengths.get(i));
        }
        return new Workload(query, documents, pairTokens);
    }

    private static String words(Random random, BenchModel model, int n) {
        StringBuilder b = new StringBuilder(n * 7);
        int range = Math.min(model.words(), 20_000);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append('w').append(BenchModel.FIRST_WORD + random.nextInt(range));
        }
        return b.toString();
    }

    /** The model's multiply-adds x 2 on real tokens for the whole workload. */
    double flops(BenchModel model) {
        double total = 0;
        for (int tokens : pairTokens) {
            total += model.flops(tokens);
        }
        return total;
    }
}
