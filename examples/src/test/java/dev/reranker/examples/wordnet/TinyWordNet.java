package dev.reranker.examples.wordnet;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.EnumSet;

/** The hand-written WordNet in src/test/resources/wordnet; its header lines say what it holds. */
final class TinyWordNet {

    static final String CAT = "feline mammal usually having thick soft fur and no ability to roar: domestic cats; wildcats";
    static final String BIG_CAT = "any of several large cats typically able to roar and living in the wild";
    static final String DOG = "a member of the genus Canis (probably descended from the common wolf) that has been"
            + " domesticated by man since prehistoric times; occurs in many breeds";
    static final String BEAR = "massive plantigrade carnivorous or omnivorous mammals with long shaggy coats and strong claws";
    static final String CART = "a heavy open wagon usually having two wheels and drawn by an animal";
    static final String COT = "a small bed that folds up for storage or transport";
    static final String LYON = "a city in east-central France on the Rhone River; a principal producer of silk and rayon";
    static final String HOME_ADJECTIVE = "used of your own ground";

    private TinyWordNet() {}

    static Path directory() {
        URL url = TinyWordNet.class.getResource("/wordnet/data.noun");
        if (url == null) {
            throw new IllegalStateException("no wordnet/data.noun on the test classpath");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static WordNet nouns() {
        return WordNet.load(directory(), EnumSet.of(PartOfSpeech.NOUN));
    }
}
