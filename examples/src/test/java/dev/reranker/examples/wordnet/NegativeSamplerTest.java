package dev.reranker.examples.wordnet;

import static dev.reranker.examples.wordnet.TinyWordNet.BEAR;
import static dev.reranker.examples.wordnet.TinyWordNet.BIG_CAT;
import static dev.reranker.examples.wordnet.TinyWordNet.CART;
import static dev.reranker.examples.wordnet.TinyWordNet.COT;
import static dev.reranker.examples.wordnet.TinyWordNet.DOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

final class NegativeSamplerTest {

    private final WordNet wordNet = TinyWordNet.nouns();
    private final NegativeSampler sampler = new NegativeSampler(wordNet);

    @Test
    void lookAlikes_oneEditAway() {
        assertEquals(Set.of("cart", "cot"), texts(sampler.lookAlikes("cat")));
    }

    @Test
    void lookAlikes_sharedPrefix() {
        assertEquals(Set.of("house fly", "housefly", "household"), texts(sampler.lookAlikes("house")));
    }

    @Test
    void lookAlikes_pluralIsNotALookAlike() {
        assertEquals(Set.of(), texts(sampler.lookAlikes("arm")));
        assertEquals(Set.of(), texts(sampler.lookAlikes("arms")));
    }

    @Test
    void lookAlikes_oneEditIsCloserThanAPrefix() {
        for (NegativeSampler.LookAlike lookAlike : sampler.lookAlikes("cat")) {
            assertEquals(0, lookAlike.tier());
        }
        for (NegativeSampler.LookAlike lookAlike : sampler.lookAlikes("house")) {
            assertEquals(1, lookAlike.tier(), "house is the whole prefix of " + lookAlike.lemma().text());
        }
    }

    @Test
    void negatives_siblingsThenLookAlikesThenRandom() {
        List<String> negatives = sampler.negatives(wordNet.lemmas().get("cat"), 7, new Random(1));

        assertEquals(7, negatives.size());
        assertEquals(Set.of(DOG, BEAR), Set.copyOf(negatives.subList(0, 2)), "siblings");
        assertEquals(Set.of(CART, COT), Set.copyOf(negatives.subList(2, 4)), "look-alikes");
        assertEquals(7, new HashSet<>(negatives).size(), "no repeats");
    }

    @Test
    void negatives_neverAnotherSenseOfTheQuery() {
        Lemma cat = wordNet.lemmas().get("cat");
        for (int seed = 0; seed < 200; seed++) {
            List<String> negatives = sampler.negatives(cat, 15, new Random(seed));

            assertFalse(negatives.contains(BIG_CAT), "cat's second sense, seed " + seed);
            assertFalse(negatives.contains(TinyWordNet.CAT), "cat's first sense, seed " + seed);
        }
    }

    @Test
    void negatives_neverASenseOfTheQueryInAnotherPartOfSpeech() {
        WordNet both = WordNet.load(TinyWordNet.directory(), EnumSet.of(PartOfSpeech.NOUN, PartOfSpeech.ADJECTIVE));
        NegativeSampler sampler = new NegativeSampler(both);
        for (int seed = 0; seed < 200; seed++) {
            List<String> negatives = sampler.negatives(both.lemmas().get("home"), 15, new Random(seed));

            assertFalse(negatives.contains(TinyWordNet.HOME_ADJECTIVE), "seed " + seed);
        }
    }

    @Test
    void negatives_fewerWhenTheDatabaseRunsOut() {
        List<String> negatives = sampler.negatives(wordNet.lemmas().get("cat"), 100, new Random(0));

        // 19 synsets, 2 of them cat's.
        assertEquals(17, negatives.size());
    }

    @Test
    void negatives_sameRandomSameNegatives() {
        Lemma paris = wordNet.lemmas().get("paris");

        assertEquals(sampler.negatives(paris, 7, new Random(3)), sampler.negatives(paris, 7, new Random(3)));
        assertEquals(TinyWordNet.LYON, sampler.negatives(paris, 7, new Random(3)).get(0), "Lyon, Paris's sibling");
    }

    @Test
    void negatives_oneWanted_isASibling() {
        List<String> negatives = sampler.negatives(wordNet.lemmas().get("cat"), 1, new Random(0));

        assertEquals(1, negatives.size());
        assertTrue(Set.of(DOG, BEAR).contains(negatives.get(0)), negatives.get(0));
    }

    private static Set<String> texts(List<NegativeSampler.LookAlike> lookAlikes) {
        Set<String> texts = new HashSet<>();
        for (NegativeSampler.LookAlike lookAlike : lookAlikes) {
            texts.add(lookAlike.lemma().text());
        }
        return texts;
    }
}
