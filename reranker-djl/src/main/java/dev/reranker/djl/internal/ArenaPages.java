package dev.reranker.djl.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults in, from a model's thread, the pages that glibc's malloc already holds for that thread's
 * arena, so that the process reaches its working size while it warms up instead of creeping towards
 * it over the next tens of thousands of pairs.
 *
 * <p>Why: as {@link NativeMemory} tunes glibc (no trim, no mmap), an arena keeps every block it
 * frees, and the kernel counts a page in the resident set only once something writes to it. As
 * batch shapes change, free space fragments and batches reach pages malloc has held since warm-up
 * but never touched; measured on the MiniLM shape over mixed lengths, RSS grew by 45–87 MB over
 * 100,000 pairs after a 5,000-pair warm-up while the bytes malloc held grew by about 11 (see
 * docs/benchmarks.md); with this class the same run grew 32.3 MB, most of it the JVM's compiler and
 * the arena's top moving up. Writing those pages up front costs no more memory than the process would
 * reach anyway and takes their page faults out of the batches that would have met them. Of the top
 * chunk (the unused end of the arena's newest heap, which holds malloc's top pad) only the first
 * 32 MB are: in a run that faulted in everything below it, RSS still crept up by 17 MB as
 * fragmentation pushed blocks into the top chunk while the bytes in use stayed flat, and no block
 * of a native batch is larger than 32 MB.
 *
 * <p>How: {@code madvise(MADV_POPULATE_WRITE)} (Linux 5.14 and later), which maps pages writable
 * without changing what they hold, so it is safe on memory malloc is using. Which memory is the
 * arena's comes from glibc's heap layout: a thread arena's heaps are 64 MB-aligned, each starts with
 * a header naming its arena and the previous heap, and the arena records its top chunk; the main
 * arena is the {@code [heap]} mapping (memory it maps elsewhere once {@code brk} cannot grow is not
 * covered), and {@code mallinfo2} gives the size of its top chunk. Every
 * address read is first checked against the process's readable mappings
 * ({@code /proc/self/maps}), and the layout is checked once against what it implies (the arena
 * lies just after its first heap's header, the top chunk ends where its heap ends); where it does
 * not hold (another C library, another glibc layout, an older kernel) this does nothing, and says
 * so once at DEBUG.
 *
 * <p>Not thread-safe: one instance per {@link ModelThread}, used only on that thread.
 */
final class ArenaPages {

    private static final Logger logger = LoggerFactory.getLogger(ArenaPages.class);

    /** glibc's {@code HEAP_MAX_SIZE} on 64-bit systems: a thread arena's heaps are this size and aligned to it. */
    private static final long HEAP_MAX = 64L << 20;
    /** The chunk header's flag for a chunk of a thread arena. */
    private static final long NON_MAIN_ARENA = 0x4;
    private static final long SIZE_BITS = 0x7;
    private static final int MADV_POPULATE_WRITE = 23;
    private static final long PAGE = 4096;
    /** Offsets of {@code top} in {@code struct malloc_state}: glibc 2.27 and later, then earlier ones. */
    private static final long[] TOP_OFFSETS = {96, 88};
    /** Sizes of {@code heap_info}: glibc 2.35 and later (with {@code pagesize}), then earlier ones. */
    private static final long[] HEAP_INFO_SIZES = {48, 32};
    /** More heaps than this in one arena means the chain read is not what it seems. */
    private static final int MAX_HEAPS = 4096;
    /**
     * The block that finds the thread's arena: larger than the thread's cache of small blocks
     * (tcache, up to 1,032 bytes), which may hold blocks of other arenas that this thread freed.
     */
    private static final long PROBE_BYTES = 16 << 10;
    /**
     * How much of the top chunk, from its start, is faulted in too: the largest block a native batch
     * allocates (see {@code RowSlices}), so the next block that free space cannot serve is already
     * resident.
     */
    private static final long TOP_HEADROOM = 32L << 20;
    /** Reads of the arena per look before giving up until the next (another thread may be changing it). */
    private static final int ATTEMPTS = 3;
    /** Looks that fail to find the arena's top chunk before this gives up for good. */
    private static final int MAX_LOCATE_FAILURES = 10;
    /** How often, at most, the arena is looked at (reading the process's mappings took 0.3 ms here). */
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final NativeMemory.LibC libc;
    /** The thread's arena ({@code struct malloc_state}), or 0 for glibc's main arena. */
    private long arena;
    private long topOffset;
    private boolean located;
    private int locateFailures;
    private String disabled;
    private long lastLook;
    /** Per heap (its start), the end up to which its pages have been populated. */
    private final Map<Long, Long> populated = new HashMap<>();
    private long populatedBytes;
    /** Why the last read of the arena did not hang together. */
    private String miss;

    private ArenaPages(NativeMemory.LibC libc) {
        this.libc = libc;
        this.lastLook = System.nanoTime() - INTERVAL_NANOS;
    }

    /**
     * For one thread, whose arena its first {@link #refresh} finds; null when the library does not tune
     * glibc's malloc (nothing to hold pages).
     */
    static ArenaPages ifMallocTuned() {
        if (!NativeMemory.tuned()) {
            return null;
        }
        return new ArenaPages(NativeMemory.libc());
    }

    /** Bytes populated so far; for tests and logs. */
    long populatedBytes() {
        return populatedBytes;
    }

    /** Why this does nothing, or null while it works; for tests and logs. */
    String disabled() {
        return disabled;
    }

    /** Why the last read of the arena that did not hang together did not, or null; for tests and logs. */
    String miss() {
        return miss;
    }

    /**
     * Populates what the arena has come to hold since the last call, at most once a second; never
     * throws.
     */
    void refresh() {
        long now = System.nanoTime();
        if (disabled != null || now - lastLook < INTERVAL_NANOS) {
            return;
        }
        lastLook = now;
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                if (look()) {
                    return;
                }
            }
            logger.debug("malloc's arena changed each time it was read ({}); looking again next time", miss);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            disable("failed: " + e);
        }
    }

    /** Populates now, whenever the last call was; for tests. */
    void refreshNow() {
        lastLook = System.nanoTime() - INTERVAL_NANOS;
        refresh();
    }

    /**
     * Reads the arena and populates what it holds; false when another thread of the arena changed
     * it while it was read (a heap grew past what the mappings, read just before, showed).
     */
    private boolean look() throws IOException {
        long block = 0;
        if (!located) {
            block = Native.malloc(PROBE_BYTES);
            if (block == 0) {
                disable("malloc failed");
                return true;
            }
        }
        List<long[]> ranges;
        try {
            Mappings maps = Mappings.read(); // after the malloc, which may grow a heap
            if (!located && !locate(maps, block)) {
                return disabled != null;
            }
            ranges = arena == 0 ? mainArena(maps) : threadArena(maps);
        } finally {
            if (block != 0) {
                Native.free(block);
            }
        }
        if (ranges == null) {
            return false;
        }
        for (long[] range : ranges) {
            long start = range[0];
            long done = populated.getOrDefault(start, start);
            long from = done & -PAGE;
            long to = (range[1] + PAGE - 1) & -PAGE;
            if (to <= done) {
                continue;
            }
            long begin = System.nanoTime();
            if (libc.madvise(new Pointer(from), to - from, MADV_POPULATE_WRITE) != 0) {
                disable("madvise(MADV_POPULATE_WRITE) failed (errno " + Native.getLastError()
                        + "); it needs Linux 5.14 or later");
                return true;
            }
            long added = to - Math.max(done, from);
            populatedBytes += added;
            populated.put(start, to);
            if (logger.isDebugEnabled()) {
                logger.debug(String.format(Locale.ROOT, "Faulted in %.1f MB of malloc's heap at 0x%x in %.1f ms,"
                        + " %.1f MB in all", added / 1048576.0, start, (System.nanoTime() - begin) / 1e6,
                        populatedBytes / 1048576.0));
            }
        }
        return true;
    }

    /**
     * Finds the calling thread's arena from {@code block}, which malloc gave it, and checks glibc's
     * layout; false when not found (disabled, or maybe changed while read).
     */
    private boolean locate(Mappings maps, long block) {
        if ((maps.read(block - 8) & NON_MAIN_ARENA) == 0) {
            if (maps.heap == null) {
                disable("no [heap] mapping for the main arena");
                return false;
            }
            arena = 0;
            located = true;
            logger.debug("This thread allocates from glibc's main arena");
            return true;
        }
        long heap = block & -HEAP_MAX;
        long candidate = maps.read(heap);
        long first = heap;
        for (int i = 0; i < MAX_HEAPS; i++) {
            long prev = maps.read(first + 8);
            if (prev == 0) {
                break;
            }
            first = prev;
        }
        boolean headerFits = false;
        for (long size : HEAP_INFO_SIZES) {
            headerFits |= candidate == first + size;
        }
        if (!headerFits) {
            disable(String.format(Locale.ROOT, "the heap at 0x%x does not hold its arena where glibc 2.x puts it",
                    heap));
            return false;
        }
        arena = candidate;
        for (long offset : TOP_OFFSETS) {
            topOffset = offset;
            if (threadArena(maps) != null) {
                located = true;
                logger.debug("This thread allocates from glibc's arena at 0x{}", Long.toHexString(arena));
                return true;
            }
        }
        if (++locateFailures == MAX_LOCATE_FAILURES) { // some failures may be races with another thread
            disable("the arena's top chunk is not where glibc 2.x keeps it");
        }
        return false;
    }

    /** The main arena: its {@code [heap]} mapping up to {@link #TOP_HEADROOM} into the top chunk. */
    private List<long[]> mainArena(Mappings maps) {
        NativeMemory.MallInfo2 info = libc.mallinfo2();
        long top = maps.heap[1] - info.keepcost;
        long end = Math.min(top + TOP_HEADROOM, maps.heap[1]);
        return end > maps.heap[0] ? List.of(new long[] {maps.heap[0], end}) : List.of();
    }

    /**
     * A thread arena: every heap in full but the newest, and the newest up to {@link #TOP_HEADROOM}
     * into its top chunk; null when what was read does not hang together (the arena changed while it
     * was read).
     */
    private List<long[]> threadArena(Mappings maps) {
        long top = maps.read(arena + topOffset);
        long heap = top & -HEAP_MAX;
        if (!maps.readable(top) || !maps.readable(top + 8) || maps.read(heap) != arena) {
            miss = String.format(Locale.ROOT, "top chunk at 0x%x is not in a mapped heap of the arena", top);
            return null;
        }
        long topEnd = top + (maps.read(top + 8) & ~SIZE_BITS);
        if (topEnd != heap + maps.read(heap + 16)) {
            miss = String.format(Locale.ROOT, "top chunk at 0x%x ends at 0x%x, its heap at 0x%x", top, topEnd,
                    heap + maps.read(heap + 16));
            return null;
        }
        List<long[]> ranges = new ArrayList<>();
        ranges.add(new long[] {heap, Math.min(top + TOP_HEADROOM, topEnd)});
        for (long h = maps.read(heap + 8); h != 0; h = maps.read(h + 8)) {
            if (ranges.size() > MAX_HEAPS || maps.read(h) != arena) {
                miss = String.format(Locale.ROOT, "heap at 0x%x is not the arena's", h);
                return null;
            }
            ranges.add(new long[] {h, h + maps.read(h + 16)});
        }
        return ranges;
    }

    private void disable(String why) {
        disabled = why;
        logger.debug("Not faulting in malloc's held pages on this thread: {}", why);
    }

    /** The process's private writable anonymous mappings, from {@code /proc/self/maps}. */
    static final class Mappings {
        private final long[] starts;
        private final long[] ends;
        /** The main arena's {@code [heap]}, or null. */
        final long[] heap;

        private Mappings(long[] starts, long[] ends, long[] heap) {
            this.starts = starts;
            this.ends = ends;
            this.heap = heap;
        }

        static Mappings read() throws IOException {
            return parse(Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.US_ASCII));
        }

        static Mappings parse(List<String> lines) {
            long[] starts = new long[lines.size()];
            long[] ends = new long[lines.size()];
            long[] heap = null;
            int n = 0;
            for (String line : lines) {
                String[] fields = line.trim().split("\\s+", 6);
                if (fields.length < 5 || !fields[1].startsWith("rw") || !"0".equals(fields[4])) {
                    continue;
                }
                String name = fields.length == 6 ? fields[5] : "";
                if (!name.isEmpty() && !"[heap]".equals(name)) {
                    continue;
                }
                int dash = fields[0].indexOf('-');
                long start = Long.parseUnsignedLong(fields[0].substring(0, dash), 16);
                long end = Long.parseUnsignedLong(fields[0].substring(dash + 1), 16);
                if ("[heap]".equals(name)) {
                    heap = new long[] {start, end};
                }
                starts[n] = start;
                ends[n] = end;
                n++;
            }
            return new Mappings(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), heap);
        }

        /** Whether the 8 bytes at {@code address} lie in one of these mappings. */
        boolean readable(long address) {
            for (int i = 0; i < starts.length; i++) {
                if (Long.compareUnsigned(address, starts[i]) >= 0 && Long.compareUnsigned(address + 8, ends[i]) <= 0) {
                    return true;
                }
            }
            return false;
        }

        /** The 8 bytes at {@code address}; throws rather than read outside these mappings. */
        long read(long address) {
            if (!readable(address)) {
                throw new IllegalStateException(
                        String.format(Locale.ROOT, "0x%x is not in a writable anonymous mapping", address));
            }
            return new Pointer(address).getLong(0);
        }
    }
}
