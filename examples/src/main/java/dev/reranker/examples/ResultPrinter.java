package dev.reranker.examples;

import com.google.gson.stream.JsonWriter;

import dev.reranker.ScoredDocument;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a ranking for {@link RerankCli}: as JSON for programs, or as a table for people. */
final class ResultPrinter {

    /** Longest document text a table row shows, in code points; --json prints documents whole. */
    static final int TABLE_TEXT_LIMIT = 200;

    private ResultPrinter() {}

    /**
     * One JSON array on one line, best first: {@code [{"index": i, "score": s, "document": "..."}]}.
     * Written with Gson's stream writer so the keys keep this order; HTML characters are left as
     * they are, since the output is data, not a web page. The text goes through {@code out}, so
     * {@code out}'s charset is the output's (the command line's is UTF-8, as JSON requires).
     */
    static void json(List<ScoredDocument> ranking, PrintStream out) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setHtmlSafe(false);
            json.beginArray();
            for (ScoredDocument d : ranking) {
                json.beginObject();
                json.name("index").value(d.index());
                json.name("score");
                // JSON has no NaN or infinity; a model that produces them is broken, and null says so
                // without making the whole output unparseable.
                if (Float.isFinite(d.score())) {
                    json.value(d.score());
                } else {
                    json.nullValue();
                }
                json.name("document").value(d.document());
                json.endObject();
            }
            json.endArray();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        out.println(text);
        out.flush();
    }

    /** A table: rank, index, score (4 decimals) and each document on one line. */
    static void table(List<ScoredDocument> ranking, PrintStream out) {
        List<String> scores = new ArrayList<>(ranking.size());
        int scoreWidth = "score".length();
        int indexWidth = "index".length();
        for (ScoredDocument d : ranking) {
            String score = String.format(Locale.ROOT, "%.4f", d.score());
            scores.add(score);
            scoreWidth = Math.max(scoreWidth, score.length());
            indexWidth = Math.max(indexWidth, Integer.toString(d.index()).length());
        }
        int rankWidth = Math.max("rank".length(), Integer.toString(ranking.size()).length());
        String row = "%" + rankWidth + "s  %" + indexWidth + "s  %" + scoreWidth + "s  %s%n";
        out.printf(Locale.ROOT, row, "rank", "index", "score", "document");
        for (int i = 0; i < ranking.size(); i++) {
            ScoredDocument d = ranking.get(i);
            out.printf(Locale.ROOT, row, i + 1, d.index(), scores.get(i), oneLine(d.document()));
        }
        out.flush();
    }

    /**
     * The text on one line: line breaks, tabs and other control characters escaped (a raw newline
     * would start a fake row), and cut to {@link #TABLE_TEXT_LIMIT} code points.
     */
    static String oneLine(String text) {
        StringBuilder line = new StringBuilder(Math.min(text.length(), TABLE_TEXT_LIMIT) + 8);
        int codePoints = 0;
        for (int i = 0; i < text.length(); ) {
            if (codePoints == TABLE_TEXT_LIMIT) {
                return line.append("...").toString();
            }
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            codePoints++;
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    int type = Character.getType(c);
                    if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR) {
                        line.append(String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        line.appendCodePoint(c);
                    }
                }
            }
        }
        return line.toString();
    }
}
