package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
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
    void preloadedAllocator_namesTheMallocReplacementInLdPreload() {
        assertEquals("tcmalloc", NativeMemory.preloadedAllocator("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"));
        assertEquals("jemalloc", NativeMemory.preloadedAllocator("/opt/lib/libfoo.so:/usr/lib/libjemalloc.so.2"));
        assertEquals("mimalloc", NativeMemory.preloadedAllocator("libmimalloc.so"));
        assertNull(NativeMemory.preloadedAllocator("/usr/lib/libasan.so.8"));
        assertNull(NativeMemory.preloadedAllocator(null));
    }

    @Test
    void heap_countsABlockOnlyWhileItIsAllocated() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "glibc only");
        assumeTrue(System.getenv("LD_PRELOAD") == null, "another allocator may be preloaded");
        assertNotNull(NativeMemory.heap(), "mallinfo2 is in glibc from 2.33");
        // The figures are the whole process's: another thread freeing memory between two readings
        // (a cleaner, the JIT) hides that much of the block, so a reading gets a few tries.
        String readings = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            readings = countsABlockOnlyWhileItIsAllocated(64L << 20);
            if (readings == null) {
                return;
            }
        }
        fail("five tries did not see the block, the last: " + readings);
    }

    /** Null when malloc counted the block as in use while it lived and not after; else the readings. */
    private static String countsABlockOnlyWhileItIsAllocated(long size) {
        NativeMemory.Heap before = NativeMemory.heap();
        NativeMemory.Heap during;
        try (Memory block = new Memory(size)) { // JNA allocates with malloc
            block.setByte(size - 1, (byte) 1);
            during = NativeMemory.heap();
        }
        NativeMemory.Heap after = NativeMemory.heap();
        boolean counted = during.inUse() - before.inUse() >= size
                && during.held() >= during.inUse()
                && during.inUse() - after.inUse() >= size;
        return counted ? null : before + " -> " + during + " -> " + after;
    }
}
