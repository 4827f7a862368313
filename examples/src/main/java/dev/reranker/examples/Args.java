package dev.reranker.examples;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reading one option's value, shared by the command parsers so that a forgotten or malformed value
 * is reported in the same words whichever command it was given to.
 */
final class Args {

    private Args() {}

    /** {@code --help} or {@code -h} before any {@code --}. */
    static boolean asksForHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** "-" alone is not a flag anywhere (the rerank command takes it as a document). */
    static boolean isOption(String arg) {
        return arg.startsWith("-") && arg.length() > 1;
    }

    /**
     * The value after {@code option}, at {@code args[i]}.
     *
     * @param expected what the option takes, for the message when the value is missing
     */
    static String value(String[] args, int i, String option, String expected) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value: " + expected);
        }
        String value = args[i];
        // "--model --query x" means the model path was forgotten, not that the model is called "--query".
        if (value.startsWith("--")) {
            throw new UsageException(option + " needs a value (" + expected + "), but is followed by " + value);
        }
        return value;
    }

    /**
     * {@code value}, unless it is blank: an empty path would mean the working directory, and an
     * empty model id nothing at all, so an unset shell variable must not get that far.
     */
    static String nonBlank(String option, String value, String expected) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " needs " + expected + ", got an empty string");
        }
        return value;
    }

    /** The path at {@code args[i]}, the value of {@code option}; blank is refused. */
    static Path path(String[] args, int i, String option, String expected) throws UsageException {
        return path(option, nonBlank(option, value(args, i, option, expected), expected));
    }

    static Path path(String option, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(option + " expects a path, was \"" + value + "\": " + e.getReason(), e);
        }
    }

    static int integer(String option, String value) throws UsageException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a whole number, was \"" + value + "\"", e);
        }
    }

    static long longInteger(String option, String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a whole number, was \"" + value + "\"", e);
        }
    }

    /**
     * A decimal number such as {@code 2e-5} or {@code 0.001}. Read as a {@link BigDecimal} first
     * because {@link Double#parseDouble} also takes {@code NaN}, {@code Infinity}, hexadecimal and a
     * trailing {@code d} or {@code f}, none of which anyone means on a command line.
     */
    static double decimal(String option, String value) throws UsageException {
        try {
            return new BigDecimal(value).doubleValue();
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a number such as 2e-5 or 0.001, was \"" + value + "\"", e);
        }
    }

    /**
     * Hands an option's value, when it was given, to a builder's setter, which knows the rules; its
     * refusal becomes a usage error naming the option rather than the builder's method.
     *
     * @param value {@code null} when the option was not given: the builder's default stays
     */
    static <T> void set(String option, T value, Consumer<? super T> setter) throws UsageException {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage(), e);
        }
    }
}
