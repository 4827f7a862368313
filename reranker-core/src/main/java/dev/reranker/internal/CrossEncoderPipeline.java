package dev.reranker.internal;

import dev.reranker.RerankerException;
import dev.reranker.ScoreMode;
import dev.reranker.Truncation;
import dev.reranker.WindowAggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model-independent part of cross-encoding: tokenize, truncate (or cut long documents into
 * windows), sort pairs by length, cut batches, pad each batch to its own longest pair, run the model,
 * turn logits into scores and put them back in input order.
 *
 * <p>A backend supplies only the tokenizer ({@link Tokens}) and the forward pass ({@link Forward}),
 * so a new model backend shares all of this.
 */
public final class CrossEncoderPipeline {

    /** A batch's longest pair may be this much longer than its shortest... */
    private static final double MAX_PADDING_RATIO = 1.25;
    /** ...or this many tokens longer, so batches of short pairs are not split over a few tokens. */
    private static final int PADDING_SLACK = 16;

    /** Tokens a padded batch may hold per pair of its batch size unless set (see {@link #defaultMaxBatchTokens}). */
    private static final int DEFAULT_TOKENS_PER_PAIR = 128;
    /** Real tokens a packed batch may hold per pair of its batch size unless set. */
    private static final int DEFAULT_PACKED_TOKENS_PER_PAIR = 64;

    /** How many documents are tokenized in one call, so a huge list never holds all encodings at once. */
    private static final int TOKENIZE_CHUNK = 256;

    /** Turns text into token ids without special tokens, truncation or padding. */
    public interface Tokens {
        List<int[]> encode(List<String> texts);
    }

    /** Runs the model on padded batches and returns their logits, {@code rows x labels}. */
    public interface Forward {
        float[][] logits(PaddedBatch batch);

        /** How many batches it runs at once; a call keeps up to this many in flight (default 1). */
        default int lanes() {
            return 1;
        }

        /**
         * Starts {@code batch} and returns its logits to come; may wait for a free lane first. The
         * default runs it at once on the calling thread.
         */
        default CompletableFuture<float[][]> submit(PaddedBatch batch) {
            try {
                return CompletableFuture.completedFuture(logits(batch));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /**
     * @param windowAggregation {@code null} to truncate long documents; otherwise they are scored as
     *     overlapping windows whose scores are combined this way
     * @param windowOverlap tokens that consecutive windows share
     * @param sortByLength {@code false} keeps input order and cuts batches of {@code batchSize}, fewer
     *     where {@code maxBatchTokens} cuts them (for comparisons; slower on lists of mixed lengths)
     * @param maxBatchTokens the most tokens a batch may hold, padding included (rows times its
     *     longest pair) unless {@code packed}; a pair longer than this runs alone
     * @param packed the forward pass runs each batch without its padding (the native backend packs
     *     the rows one after another): then a batch's cost is its real tokens, so batches are cut by
     *     {@code batchSize} and by {@code maxBatchTokens} counted in real tokens, never to save padding
     */
    public record Settings(
            int maxLength,
            int batchSize,
            int maxBatchTokens,
            Truncation truncation,
            ScoreMode scoreMode,
            WindowAggregation windowAggregation,
            int windowOverlap,
            int padId,
            boolean sortByLength,
            boolean packed) {

        public Settings {
            Inputs.positive("maxBatchTokens", maxBatchTokens);
        }
    }

    /**
     * The token budget of a batch unless one is set: {@code batchSize} pairs of 128 tokens, padding
     * included, or, for a packed forward pass, of 64 real tokens. A batch of typical pairs is not cut
     * (with length-sorted batching a padded batch is cut by its lengths well before), one of long
     * pairs holds fewer, so the memory a batch needs does not depend on how many long documents a
     * list happens to have. The packed budget is lower because a packed batch is cut by nothing else:
     * at 128 per pair, {@code mixed} batches ran at the full 4,096 tokens, which was no faster than 2,048
     * and left glibc's heap growing by 120 MB over 20,000 pairs against 8 MB (see docs/benchmarks.md,
     * native memory over a long run).
     */
    public static int defaultMaxBatchTokens(int batchSize, boolean packed) {
        long perPair = packed ? DEFAULT_PACKED_TOKENS_PER_PAIR : DEFAULT_TOKENS_PER_PAIR;
        return (int) Math.min(Integer.MAX_VALUE, perPair * batchSize);
    }

    private final Settings settings;
    private final PairTemplate template;
    private final Tokens tokens;

    public CrossEncoderPipeline(Settings settings, PairTemplate template, Tokens tokens) {
        this.settings = settings;
        this.template = template;
        this.tokens = tokens;
    }

    public Settings settings() {
        return settings;
    }

    public PairTemplate template() {
        return template;
    }

    /** Builds every model input for the query and documents, in document order. */
    public List<TokenizedPair> pairs(String query, List<String> documents) {
        int[] queryTokens = tokens.encode(List.of(query)).get(0);
        List<TokenizedPair> pairs = new ArrayList<>(documents.size());
        for (int start = 0; start < documents.size(); start += TOKENIZE_CHUNK) {
            List<String> chunk = documents.subList(start, Math.min(documents.size(), start + TOKENIZE_CHUNK));
            List<int[]> encoded = tokens.encode(chunk);
            for (int i = 0; i < encoded.size(); i++) {
                addPairs(pairs, start + i, queryTokens, encoded.get(i));
            }
        }
        return pairs;
    }

    private void addPairs(List<TokenizedPair> out, int document, int[] query, int[] doc) {
        int[] keep = PairTruncation.keep(
                settings.truncation(), query.length, doc.length, settings.maxLength(), template.specialTokens());
        int queryKeep = keep[0];
        int window = keep[1];
        if (settings.windowAggregation() == null || window >= doc.length || window == 0) {
            out.add(template.assemble(document, query, queryKeep, doc, 0, window));
            return;
        }
        // Windows as Hugging Face's overflowing tokens: each starts `overlap` tokens before the
        // previous one ended, and the last one ends at the document's end.
        int step = Math.max(1, window - Math.min(settings.windowOverlap(), window - 1));
        for (int from = 0; ; from += step) {
            int to = Math.min(doc.length, from + window);
            out.add(template.assemble(document, query, queryKeep, doc, from, to));
            if (to == doc.length) {
                return;
            }
        }
    }

    /**
     * Scores the documents against the query, in input order. A document that occurs more than once
     * is run once: that saves the work and gives equal texts exactly equal scores (a batched matrix
     * multiply may round rows at different positions differently).
     */
    public float[] score(String query, List<String> documents, Forward forward) {
        if (documents.isEmpty()) {
            return new float[0];
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        List<String> unique = new ArrayList<>();
        int[] uniqueOf = new int[documents.size()];
        for (int i = 0; i < uniqueOf.length; i++) {
            String document = documents.get(i);
            Integer seen = firstIndex.putIfAbsent(document, unique.size());
            if (seen == null) {
                uniqueOf[i] = unique.size();
                unique.add(document);
            } else {
                uniqueOf[i] = seen;
            }
        }
        float[] uniqueScores = scoreUnique(query, unique, forward);
        if (unique.size() == documents.size()) {
            return uniqueScores;
        }
        float[] scores = new float[documents.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = uniqueScores[uniqueOf[i]];
        }
        return scores;
    }

    private float[] scoreUnique(String query, List<String> documents, Forward forward) {
        List<TokenizedPair> pairs = pairs(query, documents);
        Integer[] order = new Integer[pairs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Length-sorted batching: similar lengths share a batch, so little compute goes to padding.
        if (settings.sortByLength()) {
            Arrays.sort(order, Comparator.comparingInt(i -> pairs.get(i).length()));
        }
        int lanes = Math.max(1, forward.lanes());
        long tokenCap = tokenCap(pairs, lanes);
        List<int[]> cuts = new ArrayList<>();
        for (int start = 0, end; start < order.length; start = end) {
            end = batchEnd(pairs, order, start, tokenCap);
            cuts.add(new int[] {start, end});
        }
        if (lanes > 1) {
            // Longest pairs first, so that the call ends on its cheapest batches and no lane waits
            // long for the last one of another.
            Collections.reverse(cuts);
        }
        float[] pairScores = new float[pairs.size()];
        Semaphore free = new Semaphore(lanes);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int[] cut : cuts) {
            free.acquireUninterruptibly();
            if (failure.get() != null) {
                free.release();
                break;
            }
            List<TokenizedPair> batch = new ArrayList<>(cut[1] - cut[0]);
            for (int k = cut[0]; k < cut[1]; k++) {
                batch.add(pairs.get(order[k]));
            }
            CompletableFuture<float[][]> logits;
            try {
                logits = forward.submit(PaddedBatch.of(batch, settings.padId()));
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                free.release();
                break;
            }
            logits.whenComplete((rows, error) -> {
                try {
                    if (error != null) {
                        failure.compareAndSet(null, error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error);
                    } else {
                        record(rows, cut, order, pairScores);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    free.release();
                }
            });
        }
        free.acquireUninterruptibly(lanes); // every batch in flight has ended, and its scores are visible
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        } else if (failed instanceof Error e) {
            throw e;
        } else if (failed != null) {
            throw new RerankerException("a batch failed: " + failed, failed);
        }
        return aggregate(documents.size(), pairs, pairScores);
    }

    private void record(float[][] logits, int[] cut, Integer[] order, float[] pairScores) {
        int rows = cut[1] - cut[0];
        if (logits.length != rows) {
            throw new RerankerException("the model returned " + logits.length + " rows of logits for a batch of "
                    + rows);
        }
        for (int k = cut[0]; k < cut[1]; k++) {
            pairScores[order[k]] = Scores.score(logits[k - cut[0]], settings.scoreMode());
        }
    }

    /**
     * The most tokens a batch of this call may hold: {@code maxBatchTokens}, or with several lanes
     * less, so that the call's batches are about equal and their number a multiple of the lanes;
     * a call that would fill fewer batches than there are lanes is cut into one per lane, so no lane
     * idles while another runs a call alone.
     */
    private long tokenCap(List<TokenizedPair> pairs, int lanes) {
        long cap = settings.maxBatchTokens();
        if (lanes == 1) {
            return cap;
        }
        long total = 0;
        for (TokenizedPair pair : pairs) {
            total += pair.length();
        }
        long batches = (total + cap - 1) / cap;
        batches = (batches + lanes - 1) / lanes * lanes;
        return Math.max(1, Math.min(cap, (total + batches - 1) / batches));
    }

    /**
     * Where the batch that starts at {@code start} ends: after {@code batchSize} pairs, before the
     * batch would hold more than {@code tokenCap} tokens (see {@link #tokenCap}), and, for a forward
     * pass that runs the padding, (in length order) where the next pair is so much longer than the
     * batch's shortest that padding everything to it would waste more than about a fifth of the
     * batch. Without that rule the long tail of a real candidate list (a few documents of 512 tokens
     * among many of 100) pads a whole batch to 512; measured on such a list, batch size 32 ran at 60%
     * of batch size 8.
     * A packed forward pass spends nothing on padding, so for it the rule would only cut batches
     * smaller, and smaller multiplies run slower.
     */
    private int batchEnd(List<TokenizedPair> pairs, Integer[] order, int start, long tokenCap) {
        int limit = Math.min(order.length, start + settings.batchSize());
        int first = pairs.get(order[start]).length(); // the shortest, in length order
        int longestAllowed = settings.sortByLength() && !settings.packed()
                ? Math.max(first + PADDING_SLACK, (int) (first * MAX_PADDING_RATIO))
                : Integer.MAX_VALUE;
        int longest = first;
        long real = first;
        int end = start + 1;
        while (end < limit) {
            int next = pairs.get(order[end]).length();
            int padded = Math.max(longest, next);
            long tokens = settings.packed() ? real + next : (long) padded * (end + 1 - start);
            if (next > longestAllowed || tokens > tokenCap) {
                break;
            }
            longest = padded;
            real += next;
            end++;
        }
        return end;
    }

    private float[] aggregate(int documents, List<TokenizedPair> pairs, float[] pairScores) {
        if (pairs.size() == documents) {
            return pairScores;
        }
        float[] scores = new float[documents];
        int[] windows = new int[documents];
        boolean max = settings.windowAggregation() == WindowAggregation.MAX;
        double[] sums = new double[documents];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < pairs.size(); i++) {
            int d = pairs.get(i).document();
            windows[d]++;
            sums[d] += pairScores[i];
            scores[d] = Math.max(scores[d], pairScores[i]);
        }
        if (!max) {
            for (int d = 0; d < documents; d++) {
                scores[d] = windows[d] == 1 ? scores[d] : (float) (sums[d] / windows[d]);
            }
        }
        return scores;
    }
}
