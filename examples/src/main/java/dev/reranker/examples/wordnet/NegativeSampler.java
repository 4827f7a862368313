package dev.reranker.examples.wordnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Picks the negatives of a query: glosses that are not the answer, most of them close to it.
 *
 * <p>All but a quarter (rounded down) are hard, 6 of 7: half of those are definitions of the positive's siblings (other
 * hyponyms of its hypernyms: the answer's near neighbours in meaning), half definitions of
 * look-alike lemmas (one edit away, or sharing a long prefix: its near neighbours in spelling), each
 * kind making up for a shortfall of the other. The rest are random definitions, so that the model
 * also sees easy negatives. No sense of the query is ever a negative, under any part of speech
 * loaded, nor any gloss with the same text as one: those would be right answers labelled wrong.
 */
final class NegativeSampler {

    /** Edits are tried with these characters: the ones WordNet's lemmas are made of, nearly all. */
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz -'";
    /** Shorter edits meet too many unrelated words ("ox": "on", "os", "x"). */
    private static final int MIN_EDIT_LENGTH = 3;
    /** A shared prefix shorter than this ("hous", "inte") says little about a look-alike. */
    private static final int MIN_PREFIX = 4;
    /** Look-alikes by prefix taken on each side of the query in sorted order, at most. */
    private static final int PREFIX_NEIGHBOURS = 50;
    /** Random picks per missing negative before giving up (only a tiny database runs out). */
    private static final int RANDOM_ATTEMPTS = 50;

    private final WordNet wordNet;
    private final String[] sortedTexts;
    private final List<Synset> defined;

    NegativeSampler(WordNet wordNet) {
        this.wordNet = wordNet;
        this.sortedTexts = wordNet.lemmas().keySet().toArray(new String[0]);
        Arrays.sort(sortedTexts);
        List<Synset> defined = new ArrayList<>(wordNet.synsets().size());
        for (Synset synset : wordNet.synsets()) {
            if (!synset.definition().isEmpty()) {
                defined.add(synset);
            }
        }
        this.defined = List.copyOf(defined);
    }

    /** A look-alike lemma; a lower tier is closer: 0 one edit away, then by shared prefix, longest first. */
    record LookAlike(Lemma lemma, int tier) {}

    /**
     * Up to {@code count} negatives for {@code query}, whose positive is its first sense: siblings,
     * then look-alikes, then random definitions; fewer only if the database is tiny.
     */
    List<String> negatives(Lemma query, int count, Random random) {
        Picker picker = new Picker(query, count);
        int hard = count - count / 4;

        List<Synset> siblings = new ArrayList<>(wordNet.siblings(query.senses().get(0)));
        Collections.shuffle(siblings, random);
        Iterator<Synset> sibling = siblings.iterator();
        picker.takeFrom(sibling, (hard + 1) / 2);

        List<LookAlike> lookAlikes = new ArrayList<>(lookAlikes(query.text()));
        Collections.shuffle(lookAlikes, random);
        lookAlikes.sort(Comparator.comparingInt(LookAlike::tier));
        List<Synset> alike = new ArrayList<>(lookAlikes.size());
        for (LookAlike lookAlike : lookAlikes) {
            // Its most frequent sense only: if that is one of the query's (colour, color), the
            // others may be too.
            alike.add(lookAlike.lemma().senses().get(0));
        }
        picker.takeFrom(alike.iterator(), hard - picker.size());
        picker.takeFrom(sibling, hard - picker.size());

        for (int attempts = 0; picker.size() < count && attempts < count * RANDOM_ATTEMPTS; attempts++) {
            picker.take(defined.get(random.nextInt(defined.size())));
        }
        return picker.negatives();
    }

    /**
     * Lemmas that look like {@code text} (a {@link Lemma#text()}), in no particular order: one edit
     * (deletion, insertion, substitution or swap of neighbours) away, or sharing a prefix of at
     * least half of {@code text} and {@value #MIN_PREFIX} characters. Plural and singular forms of
     * {@code text} are left out: they usually mean the same.
     */
    List<LookAlike> lookAlikes(String text) {
        Set<String> found = new HashSet<>();
        found.add(text);
        List<LookAlike> lookAlikes = new ArrayList<>();
        if (text.length() >= MIN_EDIT_LENGTH) {
            forEachEdit(text, edit -> {
                Lemma lemma = wordNet.lemmas().get(edit);
                if (lemma != null && !isInflection(text, edit) && found.add(edit)) {
                    lookAlikes.add(new LookAlike(lemma, 0));
                }
            });
        }
        int minPrefix = Math.max(MIN_PREFIX, (text.length() + 1) / 2);
        if (text.length() >= minPrefix) {
            int at = Arrays.binarySearch(sortedTexts, text);
            int from = at >= 0 ? at : -at - 1;
            // Sorted order puts the longest shared prefixes nearest; walk out both ways.
            for (int step : new int[] {-1, 1}) {
                int taken = 0;
                for (int i = step < 0 ? from - 1 : (at >= 0 ? from + 1 : from);
                        i >= 0 && i < sortedTexts.length && taken < PREFIX_NEIGHBOURS; i += step) {
                    String other = sortedTexts[i];
                    int shared = sharedPrefix(text, other);
                    if (shared < minPrefix) {
                        break;
                    }
                    if (!isInflection(text, other) && found.add(other)) {
                        lookAlikes.add(new LookAlike(wordNet.lemmas().get(other), 1 + text.length() - shared));
                        taken++;
                    }
                }
            }
        }
        return lookAlikes;
    }

    /**
     * Hands {@code edit} every string one edit from {@code text}, some more than once, never
     * {@code text} itself. Looked up as they come: a set of them first would cost twice.
     */
    private static void forEachEdit(String text, Consumer<String> edit) {
        int n = text.length();
        char[] buffer = new char[n + 1];
        for (int i = 0; i < n; i++) {
            // Deletion of character i.
            text.getChars(0, i, buffer, 0);
            text.getChars(i + 1, n, buffer, i);
            edit.accept(new String(buffer, 0, n - 1));
            if (i + 1 < n && text.charAt(i) != text.charAt(i + 1)) {
                // Swap of characters i and i + 1.
                text.getChars(0, n, buffer, 0);
                buffer[i] = text.charAt(i + 1);
                buffer[i + 1] = text.charAt(i);
                edit.accept(new String(buffer, 0, n));
            }
        }
        for (int i = 0; i <= n; i++) {
            // Insertion before character i, then substitution of it.
            text.getChars(0, i, buffer, 0);
            text.getChars(i, n, buffer, i + 1);
            for (int c = 0; c < ALPHABET.length(); c++) {
                buffer[i] = ALPHABET.charAt(c);
                edit.accept(new String(buffer, 0, n + 1));
            }
            if (i < n) {
                text.getChars(0, n, buffer, 0);
                for (int c = 0; c < ALPHABET.length(); c++) {
                    if (ALPHABET.charAt(c) != text.charAt(i)) {
                        buffer[i] = ALPHABET.charAt(c);
                        edit.accept(new String(buffer, 0, n));
                    }
                }
            }
        }
    }

    private static int sharedPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** {@code arm} and {@code arms}, {@code box} and {@code boxes}. */
    private static boolean isInflection(String a, String b) {
        String shorter = a.length() <= b.length() ? a : b;
        String longer = shorter == a ? b : a;
        return longer.equals(shorter + "s") || longer.equals(shorter + "es");
    }

    /** Collects distinct definitions that are not the query's. */
    private static final class Picker {

        private final Set<Synset> senses;
        private final Set<String> seen = new HashSet<>();
        private final List<String> negatives;
        private final int count;

        Picker(Lemma query, int count) {
            this.senses = new HashSet<>(query.senses());
            for (Synset sense : query.senses()) {
                seen.add(normalized(sense.definition()));
            }
            this.negatives = new ArrayList<>(count);
            this.count = count;
        }

        void takeFrom(Iterator<Synset> candidates, int wanted) {
            int target = Math.min(count, negatives.size() + wanted);
            while (negatives.size() < target && candidates.hasNext()) {
                take(candidates.next());
            }
        }

        void take(Synset candidate) {
            if (!candidate.definition().isEmpty() && !senses.contains(candidate)
                    && seen.add(normalized(candidate.definition()))) {
                negatives.add(candidate.definition());
            }
        }

        int size() {
            return negatives.size();
        }

        List<String> negatives() {
            return List.copyOf(negatives);
        }

        private static String normalized(String definition) {
            return definition.toLowerCase(Locale.ROOT);
        }
    }
}
