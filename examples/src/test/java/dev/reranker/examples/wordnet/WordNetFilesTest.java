package dev.reranker.examples.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WordNetFilesTest {

    @TempDir
    Path temp;

    @Test
    void parseData_noun_keepsOffsetLemmasHypernymsAndDefinition() {
        Synset synset = WordNetFiles.parseData("00003000 05 n 01 carnivore 0 003 @ 00002000 n 0000"
                + " ~ 00004000 n 0000 + 00200000 v 0101 | a terrestrial or aquatic flesh-eating mammal;"
                + " \"terrestrial carnivores have four or five clawed digits on each limb\"  ", PartOfSpeech.NOUN);

        assertEquals(PartOfSpeech.NOUN, synset.partOfSpeech());
        assertEquals(3000, synset.offset());
        assertEquals(List.of("carnivore"), synset.lemmas());
        assertEquals(List.of(2000), synset.hypernyms(), "hyponym (~) and verb (+) pointers are not hypernyms");
        assertEquals("a terrestrial or aquatic flesh-eating mammal", synset.definition());
    }

    @Test
    void parseData_instanceHypernym_isAHypernym() {
        Synset paris = WordNetFiles.parseData("00015000 15 n 03 Paris 0 City_of_Light 0 French_capital 0 001"
                + " @i 00014000 n 0000 | the capital and largest city of France", PartOfSpeech.NOUN);

        assertEquals(List.of(14000), paris.hypernyms());
        assertEquals(List.of("Paris", "City of Light", "French capital"), paris.lemmas());
    }

    @Test
    void parseData_adjectiveMarkersAndSatellite() {
        Synset synset = WordNetFiles.parseData("00014358 00 s 03 abounding 0 galore(ip) 0 ready_to_hand(p) 0 001"
                + " & 00013887 a 0000 | existing in abundance; \"abounding confidence\"; \"whiskey galore\"  ",
                PartOfSpeech.ADJECTIVE);

        assertEquals(List.of("abounding", "galore", "ready to hand"), synset.lemmas());
        assertEquals(List.of(), synset.hypernyms());
        assertEquals("existing in abundance", synset.definition());
    }

    @Test
    void parseData_verbFrames_areSkipped() {
        Synset synset = WordNetFiles.parseData("00003431 29 v 04 burp 0 bubble 0 belch 0 eruct 0 002"
                + " @ 00105333 v 0000 + 00117578 n 0405 02 + 02 00 + 08 01 | expel gas from the stomach;"
                + " \"In China it is polite to burp at the table\"  ", PartOfSpeech.VERB);

        assertEquals(List.of("burp", "bubble", "belch", "eruct"), synset.lemmas());
        assertEquals(List.of(105333), synset.hypernyms());
        assertEquals("expel gas from the stomach", synset.definition());
    }

    @Test
    void parseData_wordCount_isHexadecimal() {
        StringBuilder line = new StringBuilder("00000001 03 n 0a");
        for (int i = 0; i < 10; i++) {
            line.append(" w").append(i).append(" 0");
        }
        Synset synset = WordNetFiles.parseData(line.append(" 000 | ten words").toString(), PartOfSpeech.NOUN);

        assertEquals(10, synset.lemmas().size());
    }

    @Test
    void definition_endsBeforeTheFirstExample() {
        assertEquals("a human limb; technically the part of the superior limb",
                WordNetFiles.definition("a human limb; technically the part of the superior limb  "));
        assertEquals("existing in abundance",
                WordNetFiles.definition("existing in abundance; \"abounding confidence\"; \"whiskey galore\""));
        assertEquals("female of domestic cattle",
                WordNetFiles.definition("female of domestic cattle: \"`moo-cow' is a child's term\""));
        assertEquals("feline mammal: domestic cats; wildcats",
                WordNetFiles.definition("feline mammal: domestic cats; wildcats"));
        assertEquals("inaccessible and sparsely populated",
                WordNetFiles.definition("inaccessible and sparsely populated;  "));
        assertEquals("", WordNetFiles.definition("\"only an example\""));
    }

    @Test
    void readData_skipsTheLicenseHeader() {
        List<Synset> synsets = WordNetFiles.readData(TinyWordNet.directory().resolve("data.noun"), PartOfSpeech.NOUN);

        assertEquals(19, synsets.size());
        assertEquals("entity", synsets.get(0).lemmas().get(0));
        assertEquals("female of domestic cattle", synsets.get(16).definition());
    }

    @Test
    void readIndex_sensesInIndexOrder() {
        WordNet wordNet = TinyWordNet.nouns();

        Lemma cat = wordNet.lemmas().get("cat");
        assertEquals(List.of(4000, 5000), cat.senses().stream().map(Synset::offset).toList());
        assertEquals(2, cat.taggedSenses());
        assertEquals(List.of("Paris", "City of Light", "French capital"),
                wordNet.lemmas().get("city of light").senses().get(0).lemmas());
    }

    @Test
    void readData_malformedLine_namesFileAndLine() throws IOException {
        Path file = write("data.noun",
                "  1 header",
                "00001000 03 n 01 entity 0 000 | that which is perceived",
                "00002000 03 n 01 animal 0 002 @ 00001000 n 0000 | a living organism");

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNetFiles.readData(file, PartOfSpeech.NOUN));

        assertTrue(e.getMessage().startsWith(file + ":3: line ends after 11 fields where the pointer 2 of 2 was"
                + " expected"), e.getMessage());
    }

    @Test
    void readData_badNumber_namesTheField() throws IOException {
        Path file = write("data.noun", "00001000 03 n 01 entity x 000 | that which is perceived");

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNetFiles.readData(file, PartOfSpeech.NOUN));

        assertTrue(e.getMessage().startsWith(file + ":1: lex_id of word 1 \"x\" is not a hexadecimal number"),
                e.getMessage());
    }

    @Test
    void readData_wrongPartOfSpeech_isMalformed() throws IOException {
        Path file = write("data.noun", "  1 header", "00001000 03 v 01 entity 0 000 | that which is perceived");

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNetFiles.readData(file, PartOfSpeech.NOUN));

        assertTrue(e.getMessage().startsWith(file + ":2: synset type \"v\" does not belong in data.noun"),
                e.getMessage());
    }

    @Test
    void readData_noGloss_isMalformed() throws IOException {
        Path file = write("data.noun", "00001000 03 n 01 entity 0 000");

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNetFiles.readData(file, PartOfSpeech.NOUN));

        assertTrue(e.getMessage().startsWith(file + ":1: no \" | \" before a gloss"), e.getMessage());
    }

    @Test
    void readData_fieldsLeftOver_isMalformed() throws IOException {
        Path file = write("data.noun", "00001000 03 n 01 entity 0 000 extra | that which is perceived");

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNetFiles.readData(file, PartOfSpeech.NOUN));

        assertTrue(e.getMessage().startsWith(file + ":1: unexpected \"extra\" after the pointers"), e.getMessage());
    }

    @Test
    void readIndex_unknownOffset_namesFileAndLine() throws IOException {
        Path file = write("index.noun", "  1 header", "entity n 1 0 1 1 00001000", "ghost n 1 0 1 0 00009999");
        Map<Integer, Synset> synsets = Map.of(1000,
                new Synset(PartOfSpeech.NOUN, 1000, List.of("entity"), List.of(), "that which is perceived"));

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNetFiles.readIndex(file, PartOfSpeech.NOUN, synsets));

        assertTrue(e.getMessage().startsWith(file + ":3: synset offset 1 of 1 (00009999) is not a synset of data.noun"),
                e.getMessage());
    }

    @Test
    void load_missingDirectory_saysHowToInstall() {
        Path missing = temp.resolve("no-wordnet");

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNet.load(missing, EnumSet.of(PartOfSpeech.NOUN)));

        assertTrue(e.getMessage().contains("no WordNet database in " + missing), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install wordnet-base"), e.getMessage());
    }

    @Test
    void load_missingIndex_namesIt() throws IOException {
        Files.copy(TinyWordNet.directory().resolve("data.noun"), temp.resolve("data.noun"));

        WordNetException e = assertThrows(WordNetException.class,
                () -> WordNet.load(temp, EnumSet.of(PartOfSpeech.NOUN)));

        assertTrue(e.getMessage().contains("(index.noun is missing)"), e.getMessage());
    }

    @Test
    void load_wordInTwoPartsOfSpeech_isOneLemmaWithAllSenses() {
        WordNet wordNet = WordNet.load(TinyWordNet.directory(), EnumSet.of(PartOfSpeech.NOUN, PartOfSpeech.ADJECTIVE));

        Lemma home = wordNet.lemmas().get("home");
        assertEquals(List.of(PartOfSpeech.NOUN, PartOfSpeech.ADJECTIVE),
                home.senses().stream().map(Synset::partOfSpeech).toList());
        assertEquals(2, home.taggedSenses());
    }

    @Test
    void siblings_shareAHypernym() {
        WordNet wordNet = TinyWordNet.nouns();

        Synset cat = wordNet.synset(PartOfSpeech.NOUN, 4000);
        assertEquals(List.of(5000, 6000, 7000), wordNet.siblings(cat).stream().map(Synset::offset).toList());
        Synset paris = wordNet.synset(PartOfSpeech.NOUN, 15000);
        assertEquals(List.of(16000), wordNet.siblings(paris).stream().map(Synset::offset).toList(), "instances too");
        assertEquals(List.of(), wordNet.siblings(wordNet.synset(PartOfSpeech.NOUN, 1000)), "the root has none");
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(temp.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }
}
