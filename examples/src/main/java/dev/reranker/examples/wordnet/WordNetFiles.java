package dev.reranker.examples.wordnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads WordNet 3.0's database files, as {@code man 5 wndb} describes them: {@code data.*} (one
 * synset a line) and {@code index.*} (one lemma a line). Lines that start with two spaces are the
 * license header. Only what the relevance data needs is kept; the rest of each line is checked for
 * shape (counts and numbers), so that a file in another format fails at its first bad line rather
 * than producing nonsense.
 *
 * <p>The numbers' widths are not checked: other exports in this format (Open English WordNet's)
 * use the same fields.
 */
final class WordNetFiles {

    /** Adjective position markers glued to a word: {@code big(a)}, {@code galore(ip)}, {@code handy(p)}. */
    private static final Pattern ADJECTIVE_MARKER = Pattern.compile("\\((?:a|p|ip)\\)$");

    private WordNetFiles() {}

    /** Every synset of a data file, in file order. */
    static List<Synset> readData(Path file, PartOfSpeech pos) {
        List<Synset> synsets = new ArrayList<>();
        forEachLine(file, line -> synsets.add(parseData(line, pos)));
        return synsets;
    }

    /**
     * Every lemma of an index file, in file order, its senses looked up in {@code synsets} (the
     * same part of speech's data file, by offset).
     */
    static List<Lemma> readIndex(Path file, PartOfSpeech pos, Map<Integer, Synset> synsets) {
        List<Lemma> lemmas = new ArrayList<>();
        forEachLine(file, line -> lemmas.add(parseIndex(line, pos, synsets)));
        return lemmas;
    }

    /**
     * Parses one synset: {@code offset lex_filenum ss_type w_cnt [word lex_id]... p_cnt [ptr_symbol
     * offset pos source/target]... [f_cnt [+ f_num w_num]...] | gloss}; frames only in verbs.
     *
     * @throws IllegalArgumentException saying what is wrong with the line
     */
    static Synset parseData(String line, PartOfSpeech pos) {
        if (line.isBlank()) {
            throw new IllegalArgumentException("empty line");
        }
        int bar = line.indexOf(" | ");
        if (bar < 0) {
            throw new IllegalArgumentException("no \" | \" before a gloss");
        }
        // Field names are formatted only for a message: this runs for every line of data.noun.
        Fields fields = new Fields(line, bar);
        int offset = fields.number(10, "synset offset");
        fields.number(10, "lexicographer file number");
        String type = fields.take("synset type");
        if (PartOfSpeech.ofSymbol(type) != pos) {
            throw new IllegalArgumentException("synset type \"" + type + "\" does not belong in " + pos.dataFile());
        }
        int wordCount = fields.number(16, "word count");
        if (wordCount == 0) {
            throw new IllegalArgumentException("word count is 0; a synset has at least one word");
        }
        List<String> lemmas = new ArrayList<>(wordCount);
        for (int i = 1; i <= wordCount; i++) {
            lemmas.add(lemma(fields.take("word %d of %d", i, wordCount)));
            fields.number(16, "lex_id of word %d", i, wordCount);
        }
        int pointerCount = fields.number(10, "pointer count");
        List<Integer> hypernyms = new ArrayList<>(2);
        for (int i = 1; i <= pointerCount; i++) {
            fields.skip("pointer %d of %d", i, pointerCount);
            boolean hypernym = fields.lastIs("@") || fields.lastIs("@i");
            int target = fields.number(10, "offset of pointer %d of %d", i, pointerCount);
            fields.skip("part of speech of pointer %d of %d", i, pointerCount);
            PartOfSpeech targetPos = fields.lastPartOfSpeech();
            if (targetPos == null) {
                throw new IllegalArgumentException("part of speech \"" + fields.last() + "\" of pointer " + i + " of "
                        + pointerCount + " is not one of n v a s r");
            }
            fields.number(16, "source/target of pointer %d of %d", i, pointerCount);
            if (hypernym && targetPos == pos) {
                hypernyms.add(target);
            }
        }
        if (pos == PartOfSpeech.VERB) {
            int frameCount = fields.number(10, "verb frame count");
            for (int i = 1; i <= frameCount; i++) {
                fields.skip("verb frame %d of %d", i, frameCount);
                if (!fields.lastIs("+")) {
                    throw new IllegalArgumentException("verb frame " + i + " of " + frameCount + " starts with \""
                            + fields.last() + "\", not \"+\"");
                }
                fields.number(10, "frame number of verb frame %d of %d", i, frameCount);
                fields.number(16, "word number of verb frame %d of %d", i, frameCount);
            }
        }
        if (fields.hasMore()) {
            throw new IllegalArgumentException("unexpected \"" + fields.take("") + "\" after "
                    + (pos == PartOfSpeech.VERB ? "the verb frames" : "the pointers") + " (" + pointerCount
                    + " pointer" + (pointerCount == 1 ? "" : "s") + " counted)");
        }
        return new Synset(pos, offset, lemmas, hypernyms, definition(line.substring(bar + 3)));
    }

    /**
     * Parses one index line: {@code lemma pos synset_cnt p_cnt [ptr_symbol]... sense_cnt
     * tagsense_cnt synset_offset...}, with the offsets in sense order.
     *
     * @throws IllegalArgumentException saying what is wrong with the line, or which offset
     *     {@code synsets} lacks
     */
    static Lemma parseIndex(String line, PartOfSpeech pos, Map<Integer, Synset> synsets) {
        Fields fields = new Fields(line, line.length());
        String text = fields.take("lemma").replace('_', ' ');
        String type = fields.take("part of speech");
        if (PartOfSpeech.ofSymbol(type) != pos || type.equals("s")) {
            throw new IllegalArgumentException("part of speech \"" + type + "\" does not belong in " + pos.indexFile());
        }
        int synsetCount = fields.number(10, "synset count");
        if (synsetCount == 0) {
            throw new IllegalArgumentException("synset count is 0; a lemma has at least one sense");
        }
        int pointerCount = fields.number(10, "pointer count");
        for (int i = 1; i <= pointerCount; i++) {
            fields.skip("pointer symbol %d of %d", i, pointerCount);
        }
        fields.number(10, "sense count");
        int tagged = fields.number(10, "tagged sense count");
        List<Synset> senses = new ArrayList<>(synsetCount);
        for (int i = 1; i <= synsetCount; i++) {
            int offset = fields.number(10, "synset offset %d of %d", i, synsetCount);
            Synset sense = synsets.get(offset);
            if (sense == null) {
                throw new IllegalArgumentException("synset offset " + i + " of " + synsetCount + " ("
                        + fields.last() + ") is not a synset of " + pos.dataFile());
            }
            senses.add(sense);
        }
        if (fields.hasMore()) {
            throw new IllegalArgumentException("unexpected \"" + fields.take("") + "\" after " + synsetCount
                    + " synset offset" + (synsetCount == 1 ? "" : "s"));
        }
        return new Lemma(text, senses, tagged);
    }

    /**
     * The definition in a gloss: the text before its first example sentence, which follows
     * {@code ; "}. A handful of WordNet 3.0 glosses introduce their example with {@code : "}
     * instead ({@code female of domestic cattle: "`moo-cow' is a child's term"}); those are cut
     * there too. A trailing semicolon, left where an example was dropped, goes as well.
     */
    static String definition(String gloss) {
        String text = gloss.strip();
        if (text.startsWith("\"")) {
            return "";
        }
        int end = text.length();
        int semicolon = text.indexOf("; \"");
        if (semicolon >= 0) {
            end = semicolon;
        }
        int colon = text.indexOf(": \"");
        if (colon >= 0 && colon < end) {
            end = colon;
        }
        String definition = text.substring(0, end).strip();
        while (definition.endsWith(";")) {
            definition = definition.substring(0, definition.length() - 1).strip();
        }
        return definition;
    }

    /** A data file's word as text: {@code ready_to_hand(p)} is {@code ready to hand}. */
    static String lemma(String word) {
        String bare = word.endsWith(")") ? ADJECTIVE_MARKER.matcher(word).replaceFirst("") : word;
        return bare.replace('_', ' ');
    }

    private interface LineHandler {
        void handle(String line);
    }

    /**
     * Feeds {@code handler} each line after the license header; a line it refuses becomes a
     * {@link WordNetException} naming {@code file:line}.
     */
    private static void forEachLine(Path file, LineHandler handler) {
        int lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.startsWith("  ")) {
                    continue;
                }
                try {
                    handler.handle(line);
                } catch (IllegalArgumentException e) {
                    throw new WordNetException(file + ":" + lineNumber + ": " + e.getMessage()
                            + "; is this a WordNet 3.0 database file?", e);
                }
            }
        } catch (NoSuchFileException e) {
            throw new WordNetException(file + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new WordNetException(file + ":" + (lineNumber + 1) + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new WordNetException("could not read " + file + ": " + e, e);
        }
    }

    /**
     * The space-separated fields of a line, taken in order. Numbers and skipped fields are read
     * where they stand, without a String each: data.noun has some three million fields. A field's
     * name is a format with up to two {@code %d} (which word, of how many), filled in only for a
     * message.
     */
    private static final class Fields {

        private final String line;
        private final int end;
        private int position;
        private int start;
        private int stop;
        private int taken;

        /** The fields of {@code line} before {@code end}. */
        Fields(String line, int end) {
            this.line = line;
            this.end = end;
        }

        String take(String field) {
            return take(field, 0, 0);
        }

        String take(String field, int i, int n) {
            next(field, i, n);
            return line.substring(start, stop);
        }

        void skip(String field, int i, int n) {
            next(field, i, n);
        }

        /** Whether the field last taken is {@code text}. */
        boolean lastIs(String text) {
            return stop - start == text.length() && line.startsWith(text, start);
        }

        int number(int radix, String field) {
            return number(radix, field, 0, 0);
        }

        /** A non-negative whole number in {@code radix}, or an exception naming the field. */
        int number(int radix, String field, int i, int n) {
            next(field, i, n);
            long value = 0;
            for (int at = start; at < stop; at++) {
                int digit = Character.digit(line.charAt(at), radix);
                if (digit < 0 || (value = value * radix + digit) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(name(field, i, n) + " \"" + line.substring(start, stop)
                            + "\" is not a " + (radix == 16 ? "hexadecimal " : "") + "number");
                }
            }
            return (int) value;
        }

        /** The part of speech the field last taken stands for, or {@code null}. */
        PartOfSpeech lastPartOfSpeech() {
            return stop - start == 1 ? PartOfSpeech.ofSymbol(line.charAt(start)) : null;
        }

        /** The field last taken. */
        String last() {
            return line.substring(start, stop);
        }

        boolean hasMore() {
            skipSpaces();
            return position < end;
        }

        private void next(String field, int i, int n) {
            skipSpaces();
            if (position == end) {
                throw new IllegalArgumentException(taken == 0
                        ? "empty line"
                        : "line ends after " + taken + " field" + (taken == 1 ? "" : "s")
                                + " where the " + name(field, i, n) + " was expected");
            }
            start = position;
            while (position < end && line.charAt(position) != ' ') {
                position++;
            }
            stop = position;
            taken++;
        }

        private void skipSpaces() {
            while (position < end && line.charAt(position) == ' ') {
                position++;
            }
        }

        private static String name(String field, int i, int n) {
            return String.format(Locale.ROOT, field, i, n);
        }
    }
}
