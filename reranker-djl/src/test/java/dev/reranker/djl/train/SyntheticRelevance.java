package dev.reranker.djl.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small relevance task in the tiny fixtures' vocabulary: the query names a topic word; the relevant
 * document mentions it and opens with the word "relevant"; the others mention other topics. The
 * opening word is a cue a tiny model learns in a few dozen steps (matching topics across the pair
 * takes it far longer), so tests can see training work in seconds; the untrained fixtures ignore it.
 */
final class SyntheticRelevance {

    private static final List<String> TOPICS = List.of("paris", "france", "lyon", "panda", "bamboo", "china",
            "penguins", "antarctica", "java", "python", "maven", "gpu", "cpu", "tower", "mountains", "forests",
            "vector", "index", "sentence", "machine", "library", "engine", "bear", "city");
    private static final List<String> FILLER = List.of("the", "a", "is", "of", "and", "in", "on", "for", "with",
            "very", "good", "long", "short", "many", "one", "each", "high", "low");
    private static final List<String> OPENINGS = List.of("what is", "where is", "how does", "who likes", "why");

    private SyntheticRelevance() {}

    /** {@code queries} examples, each with one positive and {@code negatives} negatives. */
    static List<TrainingExample> examples(int queries, int negatives, long seed) {
        Random random = new Random(seed);
        List<TrainingExample> out = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            int topic = random.nextInt(TOPICS.size());
            // A filler word and the index keep queries distinct, so none merge.
            String query = OPENINGS.get(random.nextInt(OPENINGS.size())) + " " + TOPICS.get(topic) + " "
                    + FILLER.get(random.nextInt(FILLER.size())) + " " + q + " ?";
            List<String> neg = new ArrayList<>();
            for (int n = 0; n < negatives; n++) {
                int other = random.nextInt(TOPICS.size() - 1);
                neg.add(document(random, other >= topic ? other + 1 : other));
            }
            out.add(new TrainingExample(query, List.of("relevant " + document(random, topic)), neg));
        }
        return out;
    }

    private static String document(Random random, int topic) {
        StringBuilder text = new StringBuilder();
        int words = 6 + random.nextInt(6);
        int at = random.nextInt(words);
        for (int w = 0; w < words; w++) {
            text.append(w == at ? TOPICS.get(topic) : FILLER.get(random.nextInt(FILLER.size()))).append(' ');
        }
        return text.append('.').toString();
    }
}
