package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One in-process run of the command line, for the subcommands' tests: the exit status and what went
 * to stdout and stderr, with the checks of the CLI's contract.
 */
record CliRun(int status, String out, String err) {

    static CliRun of(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = RerankCli.run(args.toArray(String[]::new), o, e);
        }
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Stdout as exactly one line holding one JSON object, parsed strictly: nothing but that line and
     * its line break.
     */
    JsonObject jsonLine() {
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), "one line on stdout: " + out);
        assertTrue(out.endsWith(System.lineSeparator()), "output ends with a newline");
        try (JsonReader reader = new JsonReader(new StringReader(out))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement value = new Gson().getAdapter(JsonElement.class).read(reader);
            assertEquals(JsonToken.END_DOCUMENT, reader.peek(), "more after the JSON value: " + out);
            return value.getAsJsonObject();
        } catch (IOException e) {
            throw new AssertionError("stdout is not one strict JSON value: " + out, e);
        }
    }

    void assertSucceeded() {
        assertEquals(RerankCli.OK, status, err);
    }

    /**
     * Exit 2, nothing on stdout, and stderr ending in one "error: " line with the reason, a blank
     * line and the given usage. Progress lines may come before it: train finds some mistakes (a
     * --max-length above the model's limit) only once the model is loaded.
     */
    void assertBadArguments(String reason, String usage) {
        assertEquals(RerankCli.BAD_ARGUMENTS, status, err);
        assertEquals("", out);
        List<String> errors = err.lines().filter(line -> line.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), err);
        assertTrue(errors.get(0).contains(reason), "error line: " + errors.get(0));
        assertTrue(err.endsWith(errors.get(0) + System.lineSeparator() + System.lineSeparator() + usage), err);
    }

    /** Exit 1, nothing on stdout, and the last line on stderr one "error: " line naming {@code reason}. */
    void assertFailed(String reason) {
        assertEquals(RerankCli.FAILED, status, err);
        assertEquals("", out);
        List<String> lines = err.lines().toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        assertTrue(last.startsWith("error: ") && last.contains(reason), "last line: " + last + "\n" + err);
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("\tat ")), "no stack trace: " + err);
    }
}
