package dev.reranker.examples;

/**
 * The command line was wrong: an unknown option, a missing or malformed value, or a setting the
 * reranker refused. The message is one line naming the option and what was expected; the command
 * exits with status 2 and prints it with the usage.
 *
 * <p>Checked, so that every path from the arguments to the model has to decide where the line
 * between "you typed it wrong" (2) and "it failed" (1) falls.
 */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
