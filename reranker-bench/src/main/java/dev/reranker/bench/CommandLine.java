package dev.reranker.bench;

import java.util.List;

/** The command lines of the bench's entry points: {@code --option value} pairs, checked as they are read. */
final class CommandLine {

    /** Takes one option and its value; false when it does not know the option. */
    interface Handler {
        boolean accept(String option, String value);
    }

    private CommandLine() {}

    /**
     * Hands each {@code --option value} pair to {@code handler}.
     *
     * @param usage the options allowed, named in every message about a mistake
     * @throws IllegalArgumentException for an option without a value or one the handler does not know
     */
    static void read(String[] args, String usage, Handler handler) {
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; " + usage);
            }
            if (!handler.accept(option, args[i + 1])) {
                throw new IllegalArgumentException("unknown option " + option + "; " + usage);
            }
        }
    }

    /** {@code value} as a whole number from {@code min} to {@code Integer.MAX_VALUE}. */
    static long positive(String option, String value, long min) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was " + value);
        }
        if (n < min || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + Integer.MAX_VALUE
                    + ", was " + value);
        }
        return n;
    }

    /** {@code value}, which must be one of {@code allowed}. */
    static String oneOf(String option, String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed)
                    + ", was " + value);
        }
        return value;
    }
}
