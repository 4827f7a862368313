package dev.reranker.internal;

import java.util.Arrays;

/**
 * Where a tokenizer puts its special tokens around a (query, document) pair, and which token type
 * each part gets: {@code [CLS] q [SEP] d [SEP]} with types {@code 0..0 1..1} for BERT,
 * {@code <s> q </s></s> d </s>} with type 0 throughout for XLM-RoBERTa.
 *
 * <p>Truncating the token ids of each side first and then adding the template gives exactly what
 * Hugging Face's tokenizers produce, which truncate before they post-process.
 */
public final class PairTemplate {

    /** The sequence id a tokenizer reports for a special token (it belongs to neither side). */
    public static final int SPECIAL = -1;

    private final int[] prefix;
    private final int[] middle;
    private final int[] suffix;
    private final int[] prefixTypes;
    private final int[] middleTypes;
    private final int[] suffixTypes;
    private final int queryType;
    private final int documentType;

    private PairTemplate(
            int[] prefix, int[] middle, int[] suffix,
            int[] prefixTypes, int[] middleTypes, int[] suffixTypes,
            int queryType, int documentType) {
        this.prefix = prefix;
        this.middle = middle;
        this.suffix = suffix;
        this.prefixTypes = prefixTypes;
        this.middleTypes = middleTypes;
        this.suffixTypes = suffixTypes;
        this.queryType = queryType;
        this.documentType = documentType;
    }

    /**
     * Reads the template off the tokenizer's own encoding of a probe pair whose two sides are not
     * empty.
     *
     * @param ids the probe pair's token ids, special tokens included
     * @param typeIds its token type ids
     * @param sequenceIds 0 for a query token, 1 for a document token, {@link #SPECIAL} otherwise
     */
    public static PairTemplate fromProbe(long[] ids, long[] typeIds, long[] sequenceIds) {
        int n = ids.length;
        if (typeIds.length != n || sequenceIds.length != n) {
            throw new IllegalArgumentException("ids, typeIds and sequenceIds differ in length");
        }
        int firstQuery = indexOf(sequenceIds, 0, 0);
        int firstDocument = indexOf(sequenceIds, 1, 0);
        if (firstQuery < 0 || firstDocument < 0 || firstDocument < firstQuery) {
            throw new IllegalArgumentException(
                    "the probe pair must hold query tokens followed by document tokens, got sequence ids "
                            + Arrays.toString(sequenceIds));
        }
        int endQuery = lastIndexOf(sequenceIds, 0) + 1;
        int endDocument = lastIndexOf(sequenceIds, 1) + 1;
        checkSpecial(sequenceIds, 0, firstQuery);
        checkSpecial(sequenceIds, endQuery, firstDocument);
        checkSpecial(sequenceIds, endDocument, n);
        return new PairTemplate(
                slice(ids, 0, firstQuery),
                slice(ids, endQuery, firstDocument),
                slice(ids, endDocument, n),
                slice(typeIds, 0, firstQuery),
                slice(typeIds, endQuery, firstDocument),
                slice(typeIds, endDocument, n),
                (int) typeIds[firstQuery],
                (int) typeIds[firstDocument]);
    }

    /** How many special tokens a pair gets. */
    public int specialTokens() {
        return prefix.length + middle.length + suffix.length;
    }

    /** Whether the query and the document get different token types (BERT yes, RoBERTa no). */
    public boolean distinguishesSides() {
        return queryType != documentType;
    }

    /**
     * Builds one model input: the first {@code queryKeep} query tokens and the document tokens
     * {@code [from, to)}, inside the template.
     */
    public TokenizedPair assemble(int document, int[] query, int queryKeep, int[] tokens, int from, int to) {
        int length = specialTokens() + queryKeep + (to - from);
        int[] ids = new int[length];
        int[] types = new int[length];
        int at = 0;
        at = put(ids, types, at, prefix, prefixTypes);
        at = put(ids, types, at, query, 0, queryKeep, queryType);
        at = put(ids, types, at, middle, middleTypes);
        at = put(ids, types, at, tokens, from, to, documentType);
        put(ids, types, at, suffix, suffixTypes);
        return new TokenizedPair(document, ids, types);
    }

    private static int put(int[] ids, int[] types, int at, int[] specials, int[] specialTypes) {
        System.arraycopy(specials, 0, ids, at, specials.length);
        System.arraycopy(specialTypes, 0, types, at, specialTypes.length);
        return at + specials.length;
    }

    private static int put(int[] ids, int[] types, int at, int[] source, int from, int to, int type) {
        System.arraycopy(source, from, ids, at, to - from);
        Arrays.fill(types, at, at + to - from, type);
        return at + to - from;
    }

    private static void checkSpecial(long[] sequenceIds, int from, int to) {
        for (int i = from; i < to; i++) {
            if (sequenceIds[i] != SPECIAL) {
                throw new IllegalArgumentException(
                        "the probe pair's sides are not contiguous: " + Arrays.toString(sequenceIds));
            }
        }
    }

    private static int indexOf(long[] values, long value, int from) {
        for (int i = from; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(long[] values, long value) {
        for (int i = values.length - 1; i >= 0; i--) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int[] slice(long[] values, int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = Math.toIntExact(values[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "PairTemplate{" + Arrays.toString(prefix) + " q:" + queryType + " " + Arrays.toString(middle)
                + " d:" + documentType + " " + Arrays.toString(suffix) + "}";
    }
}
