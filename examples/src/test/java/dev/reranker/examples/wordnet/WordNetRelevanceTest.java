package dev.reranker.examples.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reranker.djl.train.TrainingData;
import dev.reranker.djl.train.TrainingExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WordNetRelevanceTest {

    /** Lemmas of the tiny noun database with at most 3 senses and a letter: all 33. */
    private static final int NOUN_QUERIES = 33;
    /** Of those, the ones with a sense in the tagged corpus. */
    private static final Set<String> COMMON = Set.of("animal", "arm", "arms", "artifact", "bear", "carnivore",
            "cart", "cat", "city", "cot", "cow", "dog", "entity", "family", "home", "house", "housefly",
            "household", "Lyon", "Paris");

    @TempDir
    Path temp;

    @Test
    void build_sameSeed_sameExamples() {
        WordNetRelevance a = tiny().seed(7).trainQueries(10).heldOutQueries(3).build();
        WordNetRelevance b = tiny().seed(7).trainQueries(10).heldOutQueries(3).build();

        assertEquals(a.train(), b.train());
        assertEquals(a.heldOut(), b.heldOut());
    }

    @Test
    void build_otherSeed_otherQueries() {
        List<String> first = queries(tiny().seed(0).trainQueries(10).heldOutQueries(3).build().train());
        boolean differs = false;
        for (long seed = 1; seed < 5 && !differs; seed++) {
            differs = !first.equals(queries(tiny().seed(seed).trainQueries(10).heldOutQueries(3).build().train()));
        }
        assertTrue(differs);
    }

    @Test
    void build_splitIsByQuery() {
        for (long seed = 0; seed < 20; seed++) {
            WordNetRelevance data = tiny().seed(seed).trainQueries(100).heldOutQueries(5).build();

            Set<String> heldOut = new HashSet<>(queries(data.heldOut()));
            assertEquals(5, heldOut.size());
            for (String query : queries(data.train())) {
                assertFalse(heldOut.contains(query), query + " in both, seed " + seed);
            }
        }
    }

    @Test
    void build_heldOutPositive_isNoTrainingPositive() {
        for (long seed = 0; seed < 20; seed++) {
            WordNetRelevance data = tiny().seed(seed).trainQueries(100).heldOutQueries(5).build();

            Set<String> heldOut = new HashSet<>();
            data.heldOut().forEach(e -> heldOut.addAll(e.positives()));
            for (TrainingExample example : data.train()) {
                assertFalse(heldOut.contains(example.positives().get(0)), example.query() + ", seed " + seed);
            }
        }
    }

    @Test
    void build_trainingDataOf_keepsTheExamplesAsTheyAre() {
        // Merging would change examples that share a query or repeat a document; these do neither.
        for (long seed = 0; seed < 20; seed++) {
            WordNetRelevance data = tiny().partsOfSpeech(PartOfSpeech.NOUN, PartOfSpeech.ADJECTIVE)
                    .seed(seed).negatives(7).trainQueries(1000).heldOutQueries(5).build();

            for (List<TrainingExample> examples : List.of(data.train(), data.heldOut())) {
                TrainingData merged = TrainingData.of(examples);
                assertEquals(examples, merged.examples(), "seed " + seed);
                assertEquals(0, merged.skipped(), "seed " + seed);
            }
        }
    }

    @Test
    void build_tooManyAskedFor_givesWhatThereIs() {
        WordNetRelevance data = tiny().trainQueries(1000).heldOutQueries(0).build();

        assertEquals(NOUN_QUERIES, data.train().size());
        assertEquals(List.of(), data.heldOut());
    }

    @Test
    void build_commonWordsFirst() {
        // Fewer than all 20: a training query whose positive is held out is passed over.
        WordNetRelevance data = tiny().seed(3).trainQueries(8).heldOutQueries(5).build();

        for (TrainingExample example : data.heldOut()) {
            assertTrue(COMMON.contains(example.query()), example.query());
        }
        for (TrainingExample example : data.train()) {
            assertTrue(COMMON.contains(example.query()), example.query());
        }
    }

    @Test
    void build_maxSenses_leavesOutAmbiguousWords() {
        List<String> queries = queries(tiny().maxSenses(1).trainQueries(1000).heldOutQueries(0).build().train());

        assertEquals(NOUN_QUERIES - 1, queries.size());
        assertFalse(queries.contains("cat"));
        assertTrue(queries.contains("dog"));
    }

    @Test
    void build_example_queryPositiveAndNegatives() {
        Map<String, TrainingExample> byQuery = all(tiny().negatives(7));

        TrainingExample cat = byQuery.get("cat");
        assertEquals(List.of(TinyWordNet.CAT), cat.positives(), "the first sense");
        assertEquals(7, cat.negatives().size());
        assertFalse(cat.negatives().contains(TinyWordNet.BIG_CAT));

        TrainingExample paris = byQuery.get("Paris");
        assertEquals(List.of("the capital and largest city of France; and international center of culture and commerce"),
                paris.positives());
        assertEquals(TinyWordNet.LYON, paris.negatives().get(0));
        assertTrue(byQuery.containsKey("true cat"), "underscores are spaces");
    }

    @Test
    void build_negativesOfAQuery_doNotDependOnTheCounts() {
        WordNetRelevance few = tiny().seed(5).trainQueries(3).heldOutQueries(2).build();
        WordNetRelevance many = tiny().seed(5).trainQueries(1000).heldOutQueries(0).build();

        for (List<TrainingExample> examples : List.of(few.train(), few.heldOut())) {
            for (TrainingExample example : examples) {
                assertTrue(many.train().contains(example), example.query());
            }
        }
    }

    @Test
    void build_adjectives() {
        Map<String, TrainingExample> byQuery =
                all(tiny().partsOfSpeech(PartOfSpeech.NOUN, PartOfSpeech.ADJECTIVE));

        assertEquals(NOUN_QUERIES + 5, byQuery.size(), "home is one query");
        assertEquals(List.of("existing in abundance"), byQuery.get("galore").positives());
        assertFalse(byQuery.get("home").negatives().contains(TinyWordNet.HOME_ADJECTIVE));
    }

    @Test
    void build_noWordNet_saysHowToInstallIt() {
        Path missing = temp.resolve("wordnet");

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNetRelevance.builder().directory(missing).build());

        assertTrue(e.getMessage().contains("apt-get install wordnet-base"), e.getMessage());
    }

    @Test
    void build_nothingAskedFor_isAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> tiny().trainQueries(0).heldOutQueries(0).build());

        assertEquals("trainQueries and heldOutQueries are both 0: nothing to build", e.getMessage());
    }

    @Test
    void builder_rejectsBadValues() {
        WordNetRelevance.Builder builder = WordNetRelevance.builder();

        assertEquals("trainQueries must not be negative, was -1",
                assertThrows(IllegalArgumentException.class, () -> builder.trainQueries(-1)).getMessage());
        assertEquals("heldOutQueries must not be negative, was -1",
                assertThrows(IllegalArgumentException.class, () -> builder.heldOutQueries(-1)).getMessage());
        assertEquals("negatives must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> builder.negatives(0)).getMessage());
        assertEquals("maxSenses must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> builder.maxSenses(0)).getMessage());
        assertEquals("directory",
                assertThrows(NullPointerException.class, () -> builder.directory(null)).getMessage());
    }

    @Test
    void defaultDirectory_wnSearchDirWins() {
        assertEquals(Path.of("/opt/wn/dict"), WordNetRelevance.defaultDirectory(name -> "/opt/wn/dict"));
        assertEquals(Path.of("/usr/share/wordnet"), WordNetRelevance.defaultDirectory(name -> null));
        assertEquals(Path.of("/usr/share/wordnet"), WordNetRelevance.defaultDirectory(name -> ""));
    }

    /** The real thing, where Debian's wordnet-base (or WNSEARCHDIR) provides it. */
    @Test
    void build_realWordNet_thousandsOfQueries() {
        Path directory = WordNetRelevance.defaultDirectory();
        assumeTrue(Files.isRegularFile(directory.resolve("data.noun")), "WordNet is not installed in " + directory);

        long start = System.nanoTime();
        WordNetRelevance data = WordNetRelevance.builder().directory(directory).seed(1)
                .trainQueries(3000).heldOutQueries(300).negatives(7).build();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(3000, data.train().size());
        assertEquals(300, data.heldOut().size());
        Set<String> heldOut = new HashSet<>(queries(data.heldOut()));
        for (TrainingExample example : data.train()) {
            assertFalse(heldOut.contains(example.query()), example.query());
            assertEquals(7, example.negatives().size(), example.query());
            assertFalse(example.negatives().contains(example.positives().get(0)), example.query());
        }
        // Generous: the whole noun file takes about a second on an idle laptop core.
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
        assertEquals(data.train(), TrainingData.of(data.train()).examples(), "written as they are");
        assertEquals(data.heldOut(), TrainingData.of(data.heldOut()).examples(), "written as they are");
    }

    private static WordNetRelevance.Builder tiny() {
        return WordNetRelevance.builder().directory(TinyWordNet.directory());
    }

    /** Every query of {@code builder}'s database as a training example, by query. */
    private static Map<String, TrainingExample> all(WordNetRelevance.Builder builder) {
        Map<String, TrainingExample> byQuery = new HashMap<>();
        for (TrainingExample example : builder.trainQueries(1000).heldOutQueries(0).build().train()) {
            assertEquals(null, byQuery.put(example.query(), example), "query twice: " + example.query());
        }
        return byQuery;
    }

    private static List<String> queries(List<TrainingExample> examples) {
        return examples.stream().map(TrainingExample::query).toList();
    }
}
