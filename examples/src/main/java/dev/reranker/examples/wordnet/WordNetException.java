package dev.reranker.examples.wordnet;

/**
 * The WordNet database could not be used: it is not installed, a file could not be read, or a line
 * is not in WordNet's format. The message says which file (and line) and what to do.
 */
public final class WordNetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    WordNetException(String message) {
        super(message);
    }

    WordNetException(String message, Throwable cause) {
        super(message, cause);
    }
}
