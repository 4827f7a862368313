package dev.reranker.examples.wordnet;

import java.util.Locale;

/** The four parts of speech of WordNet, each with its own data and index file. */
public enum PartOfSpeech {
    NOUN("noun", 'n'),
    VERB("verb", 'v'),
    ADJECTIVE("adj", 'a'),
    ADVERB("adv", 'r');

    private final String fileSuffix;
    private final char symbol;

    PartOfSpeech(String fileSuffix, char symbol) {
        this.fileSuffix = fileSuffix;
        this.symbol = symbol;
    }

    /** The database file of this part of speech: {@code data.noun}, {@code data.verb}, ... */
    String dataFile() {
        return "data." + fileSuffix;
    }

    /** The lemma index of this part of speech: {@code index.noun}, {@code index.verb}, ... */
    String indexFile() {
        return "index." + fileSuffix;
    }

    /**
     * The part of speech a WordNet letter stands for ({@code n v a s r}); {@code s}, an adjective
     * satellite, is an adjective. {@code null} for any other string.
     */
    static PartOfSpeech ofSymbol(String letter) {
        return letter.length() == 1 ? ofSymbol(letter.charAt(0)) : null;
    }

    /** The part of speech a WordNet letter stands for, as {@link #ofSymbol(String)}. */
    static PartOfSpeech ofSymbol(char c) {
        if (c == 's') {
            return ADJECTIVE;
        }
        for (PartOfSpeech pos : values()) {
            if (pos.symbol == c) {
                return pos;
            }
        }
        return null;
    }

    /**
     * Reads a command-line name: {@code noun}, {@code verb}, {@code adj} or {@code adv}, their long
     * forms, or WordNet's letters; case does not matter.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static PartOfSpeech parse(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        for (PartOfSpeech pos : values()) {
            if (lower.equals(pos.fileSuffix) || lower.equals(pos.name().toLowerCase(Locale.ROOT))
                    || lower.equals(String.valueOf(pos.symbol))) {
                return pos;
            }
        }
        throw new IllegalArgumentException("part of speech must be noun, verb, adj or adv, was \"" + name + "\"");
    }
}
