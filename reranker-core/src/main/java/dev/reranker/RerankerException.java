package dev.reranker;

/**
 * A model could not be loaded or run. The message names the file or setting at fault and says what
 * to do; the cause, when there is one, is the underlying failure.
 */
public class RerankerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RerankerException(String message) {
        super(message);
    }

    public RerankerException(String message, Throwable cause) {
        super(message, cause);
    }
}
