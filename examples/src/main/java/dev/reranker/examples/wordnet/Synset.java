package dev.reranker.examples.wordnet;

import java.util.List;

/**
 * One line of a WordNet data file, reduced to what the relevance data needs.
 *
 * @param partOfSpeech the file it came from (an adjective satellite is an adjective)
 * @param offset its key within that file, which pointers refer to
 * @param lemmas its words in file order, underscores turned into spaces and adjective markers such
 *     as {@code (p)} removed; case as in WordNet ({@code Paris})
 * @param hypernyms offsets of its hypernyms, instance hypernyms ({@code @i}) included, in the same file
 * @param definition the gloss without its example sentences; may be empty
 */
record Synset(PartOfSpeech partOfSpeech, int offset, List<String> lemmas, List<Integer> hypernyms, String definition) {

    Synset {
        lemmas = List.copyOf(lemmas);
        hypernyms = List.copyOf(hypernyms);
    }

    /** Two synsets are the same when they are the same line of the same file. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Synset that && that.partOfSpeech == partOfSpeech && that.offset == offset;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(key());
    }

    /** Unique across parts of speech, where offsets alone are not. */
    long key() {
        return key(partOfSpeech, offset);
    }

    static long key(PartOfSpeech partOfSpeech, int offset) {
        return ((long) partOfSpeech.ordinal() << 32) | (offset & 0xffff_ffffL);
    }
}
