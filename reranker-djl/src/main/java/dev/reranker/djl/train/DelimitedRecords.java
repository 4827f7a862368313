package dev.reranker.djl.train;

import dev.reranker.RerankerException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV (RFC 4180: fields in double quotes may hold delimiters, line breaks and doubled quotes)
 * or TSV (no quoting) text into records, tracking the line each record starts on.
 */
final class DelimitedRecords {

    private final String text;
    private final char delimiter;
    private final boolean quoting;
    private final Path file;
    private int at;
    private int line = 1;
    private int recordLine;

    DelimitedRecords(String text, char delimiter, boolean quoting, Path file) {
        // A byte-order mark would otherwise stick to the first field and hide the header.
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.delimiter = delimiter;
        this.quoting = quoting;
        this.file = file;
    }

    /** The line the last record returned by {@link #next()} started on, from 1. */
    int recordLine() {
        return recordLine;
    }

    /** The next record's fields, or null at the end of the text. */
    List<String> next() {
        if (at >= text.length()) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (quoted) {
                if (c == '"') {
                    if (at < text.length() && text.charAt(at) == '"') {
                        field.append('"');
                        at++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && at < text.length() && text.charAt(at) == '\n') {
                    at++;
                }
                line++;
                fields.add(field.toString());
                return fields;
            } else if (c == '"' && quoting && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (wasQuoted || (c == '"' && quoting)) {
                throw new RerankerException(file + ":" + line + ": a quote inside an unquoted field, or text after a"
                        + " closing quote; write a field with quotes as \"...\" and double the quotes inside it");
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new RerankerException(file + ":" + recordLine + ": a quoted field is never closed");
        }
        fields.add(field.toString());
        return fields;
    }
}
