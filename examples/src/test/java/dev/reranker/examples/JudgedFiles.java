package dev.reranker.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small synthetic data files in the {@code {"query", "pos", "neg"}} JSON-lines format, in words the
 * tiny fixture's vocabulary holds. The untrained fixture ranks them at random, which is what the tests
 * need: metrics that are neither 0 nor 1.
 */
final class JudgedFiles {

    private static final List<String> TOPICS = List.of("paris", "france", "lyon", "panda", "bamboo", "china",
            "penguins", "antarctica", "java", "python", "maven", "tower", "mountains", "bear", "city");
    private static final List<String> FILLER = List.of("the", "a", "is", "of", "and", "in", "on", "for", "with",
            "very", "good", "long", "many");

    private JudgedFiles() {}

    /**
     * Writes {@code queries} lines, each with one pos and {@code negatives} neg documents; the same
     * seed gives the same file.
     */
    static Path jsonl(Path file, int queries, int negatives, long seed) throws IOException {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            int topic = random.nextInt(TOPICS.size());
            JsonObject line = new JsonObject();
            line.addProperty("query", "what is the " + TOPICS.get(topic) + " " + q + " ?");
            JsonArray pos = new JsonArray();
            pos.add(document(random, topic));
            line.add("pos", pos);
            JsonArray neg = new JsonArray();
            for (int n = 0; n < negatives; n++) {
                int other = random.nextInt(TOPICS.size() - 1);
                neg.add(document(random, other >= topic ? other + 1 : other));
            }
            line.add("neg", neg);
            lines.add(line.toString());
        }
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static String document(Random random, int topic) {
        StringBuilder text = new StringBuilder(TOPICS.get(topic));
        int words = 4 + random.nextInt(4);
        for (int w = 0; w < words; w++) {
            text.append(' ').append(FILLER.get(random.nextInt(FILLER.size())));
        }
        return text.append(" .").toString();
    }
}
