package dev.reranker.examples;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --docs-file}: a UTF-8 JSON array of strings, the documents in order.
 *
 * <p>Read strictly and token by token rather than bound to a {@code List<String>}: Gson's lenient
 * defaults would turn {@code [1, null]} into {@code ["1", null]} and accept unquoted words, and a
 * document list that is not what the user meant should stop the command, not be ranked.
 */
final class DocumentsFile {

    private static final String EXPECTED = "expected a JSON array of strings";
    private static final Pattern LOCATION = Pattern.compile("at line \\d+ column \\d+");

    private DocumentsFile() {}

    /** @throws UsageException if the file is missing, unreadable, or not a JSON array of strings */
    static List<String> read(Path file) throws UsageException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--docs-file " + file + " does not exist or is not a file; " + EXPECTED);
        }
        try (JsonReader reader = new JsonReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            reader.setStrictness(Strictness.STRICT);
            return readArray(reader, file);
        } catch (CharacterCodingException e) {
            throw new UsageException("--docs-file " + file + " is not UTF-8 text; " + EXPECTED, e);
        } catch (EOFException e) {
            throw new UsageException("--docs-file " + file + " ends before its JSON array does; " + EXPECTED, e);
        } catch (MalformedJsonException e) {
            throw new UsageException("--docs-file " + file + " is not valid JSON" + where(e) + "; " + EXPECTED, e);
        } catch (IOException e) {
            throw new UsageException("--docs-file " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    private static List<String> readArray(JsonReader reader, Path file) throws IOException, UsageException {
        JsonToken first = reader.peek();
        if (first != JsonToken.BEGIN_ARRAY) {
            throw new UsageException("--docs-file " + file + " holds " + describe(first) + "; " + EXPECTED);
        }
        reader.beginArray();
        List<String> documents = new ArrayList<>();
        while (reader.hasNext()) {
            JsonToken token = reader.peek();
            if (token != JsonToken.STRING) {
                throw new UsageException("--docs-file " + file + ": element " + documents.size() + " is "
                        + describe(token) + "; " + EXPECTED);
            }
            documents.add(reader.nextString());
        }
        reader.endArray();
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new UsageException("--docs-file " + file + " has more after its JSON array; " + EXPECTED);
        }
        return documents;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> token.toString();
        };
    }

    /**
     * Gson's messages are written for programmers (switch to lenient parsing, a troubleshooting
     * link); the user of a command line needs only where the JSON went wrong.
     */
    private static String where(MalformedJsonException e) {
        Matcher at = LOCATION.matcher(String.valueOf(e.getMessage()));
        return at.find() ? " " + at.group() : "";
    }
}
