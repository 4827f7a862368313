package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/** glibc's heap figures follow a real allocation, so RssGrowth's "in use" column means what it says. */
final class MallocStatsTest {

    @Test
    void read_seesABlockWhileItIsAllocated() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "glibc only");
        MallocStats before = MallocStats.read();
        assertNotNull(before, "mallinfo2 is in glibc from 2.33");
        long size = 64L << 20;
        MallocStats during;
        try (Memory block = new Memory(size)) { // JNA allocates with malloc
            block.setByte(size - 1, (byte) 1);
            during = MallocStats.read();
        }
        MallocStats after = MallocStats.read();
        assertTrue(during.inUse() - before.inUse() >= size, before + " -> " + during);
        assertTrue(during.held() >= during.inUse(), during.toString());
        assertTrue(during.inUse() - after.inUse() >= size, during + " -> " + after);
    }
}
