package dev.reranker.examples.wordnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of a WordNet database that were loaded: synsets by offset, the hyponyms of each, and the
 * lemmas with their senses. Immutable once loaded.
 */
final class WordNet {

    private final List<Synset> synsets;
    private final Map<Long, Synset> byKey;
    private final Map<Long, List<Synset>> hyponyms;
    private final Map<String, Lemma> lemmas;

    private WordNet(List<Synset> synsets, Map<String, Lemma> lemmas) {
        this.synsets = List.copyOf(synsets);
        this.byKey = new HashMap<>(synsets.size() * 2);
        this.hyponyms = new HashMap<>(synsets.size());
        for (Synset synset : synsets) {
            byKey.put(synset.key(), synset);
            for (int hypernym : synset.hypernyms()) {
                hyponyms.computeIfAbsent(Synset.key(synset.partOfSpeech(), hypernym), k -> new ArrayList<>(4))
                        .add(synset);
            }
        }
        this.lemmas = Collections.unmodifiableMap(lemmas);
    }

    /**
     * Loads the data and index files of {@code parts} from {@code directory}.
     *
     * @throws WordNetException if a file is missing (saying how to install WordNet), unreadable or
     *     malformed (naming the file and line)
     */
    static WordNet load(Path directory, Set<PartOfSpeech> parts) {
        if (!Files.isDirectory(directory)) {
            throw new WordNetException(notInstalled(directory, "no such directory"));
        }
        List<Synset> synsets = new ArrayList<>();
        Map<String, Lemma> lemmas = new LinkedHashMap<>();
        for (PartOfSpeech pos : EnumSet.copyOf(parts)) {
            Path data = directory.resolve(pos.dataFile());
            Path index = directory.resolve(pos.indexFile());
            for (Path file : List.of(data, index)) {
                if (!Files.isRegularFile(file)) {
                    throw new WordNetException(notInstalled(directory, file.getFileName() + " is missing"));
                }
            }
            List<Synset> ofPos = WordNetFiles.readData(data, pos);
            Map<Integer, Synset> byOffset = new HashMap<>(ofPos.size() * 2);
            for (Synset synset : ofPos) {
                byOffset.put(synset.offset(), synset);
            }
            synsets.addAll(ofPos);
            // A word that is a noun and a verb is one query: all its senses belong to it.
            for (Lemma lemma : WordNetFiles.readIndex(index, pos, byOffset)) {
                lemmas.merge(lemma.text(), lemma, (a, b) -> {
                    List<Synset> senses = new ArrayList<>(a.senses());
                    senses.addAll(b.senses());
                    return new Lemma(a.text(), senses, a.taggedSenses() + b.taggedSenses());
                });
            }
        }
        return new WordNet(synsets, lemmas);
    }

    static String notInstalled(Path directory, String problem) {
        return "no WordNet database in " + directory + " (" + problem + "): install it with"
                + " 'apt-get install wordnet-base' (Debian, Ubuntu), or point WNSEARCHDIR at a WordNet 3.0"
                + " dict directory";
    }

    /** Every synset loaded, in file order. */
    List<Synset> synsets() {
        return synsets;
    }

    /** Every lemma loaded, in file order, keyed by its {@link Lemma#text()}. */
    Map<String, Lemma> lemmas() {
        return lemmas;
    }

    /**
     * The other hyponyms of {@code synset}'s hypernyms, in file order, without repeats; instance
     * hyponyms count (Paris and Lyon are siblings under city).
     */
    List<Synset> siblings(Synset synset) {
        Set<Synset> siblings = new LinkedHashSet<>();
        for (int hypernym : synset.hypernyms()) {
            siblings.addAll(hyponyms.getOrDefault(Synset.key(synset.partOfSpeech(), hypernym), List.of()));
        }
        siblings.remove(synset);
        return List.copyOf(siblings);
    }

    Synset synset(PartOfSpeech pos, int offset) {
        return byKey.get(Synset.key(pos, offset));
    }
}
