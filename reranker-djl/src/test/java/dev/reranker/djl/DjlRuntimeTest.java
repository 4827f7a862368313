package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reranker.djl.internal.DjlRuntime;

import org.junit.jupiter.api.Test;

final class DjlRuntimeTest {

    @Test
    void keepOffline_setsOfflineAndOptOut_unlessTheUserChose() {
        String offline = System.getProperty("ai.djl.offline");
        String tracking = System.getProperty("OPT_OUT_TRACKING");
        try {
            System.clearProperty("ai.djl.offline");
            System.clearProperty("OPT_OUT_TRACKING");
            DjlRuntime.keepOffline();
            if (System.getenv("DJL_OFFLINE") == null) {
                assertEquals("true", System.getProperty("ai.djl.offline"));
            }
            if (System.getenv("OPT_OUT_TRACKING") == null) {
                assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
            }
            System.setProperty("ai.djl.offline", "false");
            DjlRuntime.keepOffline();
            assertEquals("false", System.getProperty("ai.djl.offline"));
        } finally {
            restore("ai.djl.offline", offline);
            restore("OPT_OUT_TRACKING", tracking);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
