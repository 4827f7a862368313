package dev.reranker.djl.internal;

/**
 * Keeps DJL from reaching the network. DJL downloads engines and models on demand and, unless told
 * otherwise, "calls home" by probing the cloud metadata address when an engine or tokenizer starts.
 * A library has no business doing either behind its user's back, so unless the user has said what
 * they want (through the same variable or property), we switch both off before DJL starts.
 */
public final class DjlRuntime {

    private DjlRuntime() {}

    /** Call before the first use of any DJL class that could start an engine or a tokenizer. */
    public static void keepOffline() {
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
