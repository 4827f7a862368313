package dev.reranker.examples.wordnet;

import dev.reranker.djl.train.TrainingExample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reranker training data made from WordNet, which {@code apt-get install wordnet-base} puts in
 * {@code /usr/share/wordnet}: each query is a word or phrase, its positive the definition of its
 * most frequent sense, and its negatives definitions of near neighbours (siblings in the
 * hypernym tree and look-alike words) plus a few random ones. Other senses of the query are never
 * negatives, since they would be right answers too.
 *
 * <pre>{@code
 * WordNetRelevance data = WordNetRelevance.builder()
 *         .trainQueries(2000).heldOutQueries(200).negatives(7).seed(42)
 *         .build();                        // reads WordNet: a few seconds
 * TrainingData.of(data.train()).write(Path.of("train.jsonl"));
 * TrainingData.of(data.heldOut()).write(Path.of("eval.jsonl"));
 * }</pre>
 *
 * <p>Queries are lemmas with at most {@link Builder#maxSenses(int)} senses, so that a gloss can
 * fairly be called the answer; words in everyday use (those with a sense in WordNet's sense-tagged
 * corpus) come before rare ones. The split is by query: no query is in both lists, and no training
 * query has a held-out query's positive (as {@code true cat} would share {@code cat}'s). The same
 * seed and database give the same examples in the same order; each query's negatives depend only on
 * the seed and the query, not on the counts asked for. No two examples of a list share a query, and
 * each has one positive and distinct negatives, none of them the positive: {@code TrainingData.of}
 * keeps them as they are.
 *
 * <p>Instances are immutable.
 */
public final class WordNetRelevance {

    /** Where Debian and Ubuntu install WordNet 3.0 ({@code wordnet-base}). */
    public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/wordnet");

    private final List<TrainingExample> train;
    private final List<TrainingExample> heldOut;

    private WordNetRelevance(List<TrainingExample> train, List<TrainingExample> heldOut) {
        this.train = List.copyOf(train);
        this.heldOut = List.copyOf(heldOut);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The training examples: at most {@link Builder#trainQueries(int)}, fewer if WordNet runs out. */
    public List<TrainingExample> train() {
        return train;
    }

    /** The held-out examples: at most {@link Builder#heldOutQueries(int)}; their queries are not in {@link #train()}. */
    public List<TrainingExample> heldOut() {
        return heldOut;
    }

    /**
     * The WordNet directory to use when none is given: {@code $WNSEARCHDIR} (WordNet's own
     * variable) if set, else {@link #DEBIAN_DIRECTORY}.
     */
    public static Path defaultDirectory() {
        return defaultDirectory(System::getenv);
    }

    static Path defaultDirectory(UnaryOperator<String> environment) {
        String searchDir = environment.apply("WNSEARCHDIR");
        return searchDir == null || searchDir.isBlank() ? DEBIAN_DIRECTORY : Path.of(searchDir);
    }

    /** Settings for {@link WordNetRelevance}; every one has a default. */
    public static final class Builder {

        private Path directory;
        private long seed;
        private int trainQueries = 2000;
        private int heldOutQueries = 200;
        private int negatives = 7;
        private int maxSenses = 3;
        private Set<PartOfSpeech> partsOfSpeech = EnumSet.of(PartOfSpeech.NOUN);

        private Builder() {}

        /** The WordNet 3.0 dict directory, holding {@code data.noun} and {@code index.noun}; default {@link #defaultDirectory()}. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Chooses the queries, the split and the negatives; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How many training queries to make, at most; default 2000. */
        public Builder trainQueries(int trainQueries) {
            if (trainQueries < 0) {
                throw new IllegalArgumentException("trainQueries must not be negative, was " + trainQueries);
            }
            this.trainQueries = trainQueries;
            return this;
        }

        /** How many held-out queries to make, at most; default 200. They are chosen before the training ones. */
        public Builder heldOutQueries(int heldOutQueries) {
            if (heldOutQueries < 0) {
                throw new IllegalArgumentException("heldOutQueries must not be negative, was " + heldOutQueries);
            }
            this.heldOutQueries = heldOutQueries;
            return this;
        }

        /** Negatives per query; default 7, which with the positive makes FlagEmbedding's usual group of 8. */
        public Builder negatives(int negatives) {
            if (negatives < 1) {
                throw new IllegalArgumentException("negatives must be at least 1, was " + negatives);
            }
            this.negatives = negatives;
            return this;
        }

        /**
         * The most senses a query may have; default 3. A word with many senses ({@code head} has
         * 33) has no one definition to call the answer.
         */
        public Builder maxSenses(int maxSenses) {
            if (maxSenses < 1) {
                throw new IllegalArgumentException("maxSenses must be at least 1, was " + maxSenses);
            }
            this.maxSenses = maxSenses;
            return this;
        }

        /**
         * Which parts of speech to take queries and negatives from; default nouns only. A word that
         * is several (a noun and a verb) is one query, its positive its first sense in the order
         * noun, verb, adjective, adverb.
         */
        public Builder partsOfSpeech(PartOfSpeech first, PartOfSpeech... more) {
            Objects.requireNonNull(first, "first");
            EnumSet<PartOfSpeech> parts = EnumSet.of(first);
            for (PartOfSpeech pos : Objects.requireNonNull(more, "more")) {
                parts.add(Objects.requireNonNull(pos, "partsOfSpeech must not contain null"));
            }
            this.partsOfSpeech = parts;
            return this;
        }

        /**
         * Reads WordNet and makes the examples.
         *
         * @throws IllegalStateException if both counts are 0
         * @throws WordNetException if WordNet is not installed (saying how to install it), or a file
         *     cannot be read or is malformed (naming the file and line)
         */
        public WordNetRelevance build() {
            if (trainQueries == 0 && heldOutQueries == 0) {
                throw new IllegalStateException("trainQueries and heldOutQueries are both 0: nothing to build");
            }
            WordNet wordNet = WordNet.load(directory != null ? directory : defaultDirectory(), partsOfSpeech);
            NegativeSampler sampler = new NegativeSampler(wordNet);
            List<Lemma> candidates = candidates(wordNet);

            List<Lemma> heldOutLemmas = new ArrayList<>(candidates.subList(0, Math.min(heldOutQueries, candidates.size())));
            Set<Synset> heldOutPositives = new HashSet<>();
            Set<String> heldOutDefinitions = new HashSet<>();
            for (Lemma lemma : heldOutLemmas) {
                heldOutPositives.add(lemma.senses().get(0));
                heldOutDefinitions.add(lemma.senses().get(0).definition().toLowerCase(Locale.ROOT));
            }
            List<Lemma> trainLemmas = new ArrayList<>(Math.min(trainQueries, candidates.size()));
            for (Lemma lemma : candidates.subList(heldOutLemmas.size(), candidates.size())) {
                if (trainLemmas.size() == trainQueries) {
                    break;
                }
                Synset positive = lemma.senses().get(0);
                if (!heldOutPositives.contains(positive)
                        && !heldOutDefinitions.contains(positive.definition().toLowerCase(Locale.ROOT))) {
                    trainLemmas.add(lemma);
                }
            }
            return new WordNetRelevance(examples(trainLemmas, sampler), examples(heldOutLemmas, sampler));
        }

        /** The lemmas that make fair queries, in the order they are used: shuffled, common words first. */
        private List<Lemma> candidates(WordNet wordNet) {
            List<Lemma> common = new ArrayList<>();
            List<Lemma> rare = new ArrayList<>();
            for (Lemma lemma : wordNet.lemmas().values()) {
                if (lemma.senses().size() <= maxSenses && isWord(lemma.text())
                        && !lemma.senses().get(0).definition().isEmpty()) {
                    (lemma.taggedSenses() > 0 ? common : rare).add(lemma);
                }
            }
            Random random = new Random(seed);
            Collections.shuffle(common, random);
            Collections.shuffle(rare, random);
            common.addAll(rare);
            return common;
        }

        /** Two characters or more, a letter among them: not {@code .22} or {@code x}. */
        private static boolean isWord(String text) {
            return text.length() >= 2 && text.chars().anyMatch(Character::isLetter);
        }

        private List<TrainingExample> examples(List<Lemma> lemmas, NegativeSampler sampler) {
            List<TrainingExample> examples = new ArrayList<>(lemmas.size());
            for (Lemma lemma : lemmas) {
                Random random = new Random(seed * 1_000_003L + lemma.text().hashCode());
                Synset positive = lemma.senses().get(0);
                examples.add(new TrainingExample(query(lemma, positive), List.of(positive.definition()),
                        sampler.negatives(lemma, negatives, random)));
            }
            return examples;
        }

        /** The lemma as its synset spells it ({@code Paris}, where the index has {@code paris}). */
        private static String query(Lemma lemma, Synset positive) {
            for (String word : positive.lemmas()) {
                if (word.toLowerCase(Locale.ROOT).equals(lemma.text())) {
                    return word;
                }
            }
            return lemma.text();
        }
    }
}
