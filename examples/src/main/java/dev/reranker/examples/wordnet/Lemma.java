package dev.reranker.examples.wordnet;

import java.util.List;

/**
 * One line of a WordNet index file: a word or phrase and its senses.
 *
 * @param text the lemma as the index spells it: lower case, underscores turned into spaces
 * @param senses its synsets, most frequent first (WordNet's sense order)
 * @param taggedSenses how many of its senses occur in WordNet's sense-tagged corpus; more than 0
 *     means the word is in everyday use
 */
record Lemma(String text, List<Synset> senses, int taggedSenses) {

    Lemma {
        senses = List.copyOf(senses);
    }
}
