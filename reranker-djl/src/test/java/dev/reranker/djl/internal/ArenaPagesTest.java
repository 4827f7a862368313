package dev.reranker.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * ArenaPages against glibc's real malloc and the kernel's real page tables: a block malloc holds
 * but whose pages are not resident becomes resident, and its contents are untouched.
 */
final class ArenaPagesTest {

    private static final long PAGE = 4096;
    private static final long MADV_DONTNEED = 4;
    private static final long BLOCK = 24L << 20;

    /** The calls the test needs beside the library's: page residency, and handing pages back. */
    interface Kernel extends Library {
        int mincore(Pointer address, long length, byte[] residency);

        int madvise(Pointer address, long length, int advice);
    }

    private static final Kernel KERNEL = Native.load("c", Kernel.class);

    /**
     * A block of {@code bytes} from malloc whose inner pages (away from malloc's headers) are handed
     * back to the kernel, as pages malloc has never touched are. It lies below the arena's top chunk,
     * as every block in use does; free it with {@link Native#free}.
     *
     * @return {block, start, end}: the block, and the start and end of its inner pages
     */
    static long[] blockWithoutPages(long bytes) {
        long block = Native.malloc(bytes);
        assertNotEquals(0, block);
        long start = (block + 2 * PAGE) & -PAGE;
        long end = (block + bytes - PAGE) & -PAGE;
        assertEquals(0, KERNEL.madvise(new Pointer(start), end - start, (int) MADV_DONTNEED));
        return new long[] {block, start, end};
    }

    /** How many pages of {@link #blockWithoutPages}' inner pages are resident. */
    static long residentPages(long[] block) {
        int pages = (int) ((block[2] - block[1]) / PAGE);
        byte[] residency = new byte[pages];
        assertEquals(0, KERNEL.mincore(new Pointer(block[1]), block[2] - block[1], residency));
        long resident = 0;
        for (byte b : residency) {
            resident += b & 1;
        }
        return resident;
    }

    /**
     * On a new thread (which glibc gives a thread arena here): how many pages of a block whose
     * pages are not resident are, before and after a look; then what a second look added.
     */
    private static long[] probe() throws InterruptedException {
        long[] result = new long[4];
        String[] why = new String[1];
        Thread thread = new Thread(() -> {
            long[] block = blockWithoutPages(BLOCK);
            result[0] = residentPages(block);
            ArenaPages pages = ArenaPages.ifMallocTuned();
            pages.refreshNow();
            result[1] = residentPages(block);
            result[2] = pages.populatedBytes();
            pages.refreshNow();
            result[3] = pages.populatedBytes();
            why[0] = "disabled: " + pages.disabled() + "; last miss: " + pages.miss();
            Native.free(block[0]);
        });
        thread.start();
        thread.join();
        if (result[1] < BLOCK / PAGE - 4) {
            throw new AssertionError("not faulted in (" + why[0] + ")");
        }
        return result;
    }

    private static void assertFaultedInOnce(long[] result) {
        long inner = BLOCK / PAGE - 3;
        assertEquals(0, result[0], "resident before refresh");
        assertTrue(result[1] >= inner - 1, "resident after refresh: " + result[1] + " of about " + inner);
        assertTrue(result[2] >= (inner - 1) * PAGE, "counted as populated: " + result[2]);
        assertTrue(result[3] - result[2] < inner * PAGE / 10,
                "a second look populates only what the arena took meanwhile: " + (result[3] - result[2]));
    }

    @Test
    void freeBlockOfAThreadArena_isFaultedIn_once() throws Exception {
        assumeTrue(NativeMemory.tuned(), "the library tunes glibc's malloc here: " + NativeMemory.state());
        assertFaultedInOnce(probe());
    }

    /** The same in a JVM started with one arena, glibc's main one ({@code [heap]}), which every thread then uses. */
    @Test
    void freeBlockOfTheMainArena_isFaultedIn_once() throws Exception {
        assumeTrue(NativeMemory.tuned(), "the library tunes glibc's malloc here: " + NativeMemory.state());
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), MainArena.class.getName());
        builder.environment().put("MALLOC_ARENA_MAX", "1");
        builder.redirectErrorStream(true);
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), output);
        String[] lines = output.strip().split("\\R");
        long[] result = Arrays.stream(lines[lines.length - 1].split(" ")).mapToLong(Long::parseLong).toArray();
        assertFaultedInOnce(result);
    }

    /** {@link #probe()} in a JVM of its own; prints its four figures on the last line. */
    static final class MainArena {
        public static void main(String[] args) throws Exception {
            if (!NativeMemory.tuned()) {
                throw new AssertionError(NativeMemory.state());
            }
            long block = Native.malloc(64);
            boolean main = (new Pointer(block).getLong(-8) & 0x4) == 0;
            Native.free(block);
            if (!main) {
                throw new AssertionError("MALLOC_ARENA_MAX=1 left a thread arena");
            }
            long[] result = probe();
            System.out.println(result[0] + " " + result[1] + " " + result[2] + " " + result[3]);
        }
    }

    @Test
    void populating_leavesWhatMallocHoldsUnchanged() throws Exception {
        assumeTrue(NativeMemory.tuned(), "the library tunes glibc's malloc here: " + NativeMemory.state());
        boolean[] intact = new boolean[1];
        Thread thread = new Thread(() -> {
            ArenaPages pages = ArenaPages.ifMallocTuned();
            int n = 4096;
            long[] blocks = new long[n];
            for (int i = 0; i < n; i++) {
                blocks[i] = Native.malloc(1 + i % 3000);
                new Pointer(blocks[i]).setLong(0, i * 31L);
            }
            for (int i = 0; i < n; i += 2) {
                Native.free(blocks[i]); // free chunks beside used ones: malloc's own lists live in them
            }
            pages.refreshNow();
            boolean ok = true;
            for (int i = 1; i < n; i += 2) {
                ok &= new Pointer(blocks[i]).getLong(0) == i * 31L;
            }
            for (int i = 0; i < n; i += 2) {
                blocks[i] = Native.malloc(1 + i % 3000); // malloc's free lists still hang together
            }
            for (long block : blocks) {
                Native.free(block);
            }
            intact[0] = ok && pages.disabled() == null;
        });
        thread.start();
        thread.join();
        assertTrue(intact[0]);
    }

    @Test
    void mappings_keepPrivateWritableAnonymousOnes() {
        ArenaPages.Mappings maps = ArenaPages.Mappings.parse(List.of(
                "55d0c0000000-55d0c0021000 rw-p 00000000 00:00 0                          [heap]",
                "7f0000000000-7f0004000000 rw-p 00000000 00:00 0 ",
                "7f0004000000-7f0008000000 ---p 00000000 00:00 0 ",
                "7f1000000000-7f1000010000 r--p 00000000 08:01 1234                       /usr/lib/libc.so.6",
                "7f1000010000-7f1000020000 rw-p 00010000 08:01 1234                       /usr/lib/libc.so.6",
                "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]"));
        assertArrayEquals(new long[] {0x55d0c0000000L, 0x55d0c0021000L}, maps.heap);
        assertTrue(maps.readable(0x55d0c0000000L));
        assertTrue(maps.readable(0x7f0000000000L));
        assertTrue(maps.readable(0x7f0003fffff8L));
        assertFalse(maps.readable(0x7f0003fffffcL), "8 bytes from there run past the mapping");
        assertFalse(maps.readable(0x7f0004000000L), "no access");
        assertFalse(maps.readable(0x7f1000010000L), "a file's data");
        assertFalse(maps.readable(0x7ffd00000000L), "a stack");
        assertThrows(IllegalStateException.class, () -> maps.read(0x7f0004000000L));
    }

    @Test
    void thisProcessesMappings_holdMallocsBlocks() throws Exception {
        long block = Native.malloc(64);
        try {
            ArenaPages.Mappings maps = ArenaPages.Mappings.read();
            assertTrue(maps.readable(block));
            new Pointer(block).setLong(0, 0x5eedL);
            assertEquals(0x5eedL, maps.read(block));
        } finally {
            Native.free(block);
        }
    }
}
