package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reranker.djl.internal.NativeMemory;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

final class NativeMemoryTest {

    @Test
    void loadingAModel_tunesGlibcMalloc_onPlainLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        assumeTrue(System.getenv("LD_PRELOAD") == null, "another allocator may be preloaded");
        assumeTrue(System.getProperty("dev.reranker.malloc") == null && System.getenv("RERANKER_MALLOC") == null);
        try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).build()) {
            assertEquals(1, reranker.score("q", List.of("d")).length);
        }
        assertTrue(NativeMemory.state().startsWith("tuned glibc"), NativeMemory.state());
    }

    @Test
    void loadingAModel_capsOneDnnPrimitiveCaches_unlessTheUserSetThem() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        try (DjlReranker reranker = DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).build()) {
            assertEquals(1, reranker.score("q", List.of("d")).length);
        }
        String caches = NativeMemory.primitiveCaches();
        for (String name : List.of("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "LRU_CACHE_CAPACITY")) {
            String expected = System.getenv(name) == null ? "4" : System.getenv(name);
            assertTrue(caches.contains(name + "=" + expected), caches);
        }
    }
}
