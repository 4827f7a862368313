package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;

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

    @Test
    void heap_countsABlockOnlyWhileItIsAllocated() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "glibc only");
        assumeTrue(System.getenv("LD_PRELOAD") == null, "another allocator may be preloaded");
        NativeMemory.Heap before = NativeMemory.heap();
        assertNotNull(before, "mallinfo2 is in glibc from 2.33");
        long size = 64L << 20;
        NativeMemory.Heap during;
        try (Memory block = new Memory(size)) { // JNA allocates with malloc
            block.setByte(size - 1, (byte) 1);
            during = NativeMemory.heap();
        }
        NativeMemory.Heap after = NativeMemory.heap();
        assertTrue(during.inUse() - before.inUse() >= size, before + " -> " + during);
        assertTrue(during.held() >= during.inUse(), during.toString());
        assertTrue(during.inUse() - after.inUse() >= size, during + " -> " + after);
    }
}
