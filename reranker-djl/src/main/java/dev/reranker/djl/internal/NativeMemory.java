package dev.reranker.djl.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunes glibc's malloc for libtorch's allocation pattern, and caps oneDNN's primitive caches, before
 * the engine starts.
 *
 * <p>Every batch allocates and frees large tensors (hundreds of megabytes on DJL's padded route, up
 * to 32 MB in the native backend, see {@code RowSlices}). glibc serves large blocks with fresh
 * {@code mmap}s and hands freed memory straight back to the kernel, so every batch pays for page
 * faults on all of its temporaries again: measured here on DJL's padded route, a 16 x 256-token
 * MiniLM batch took 2.9 s with the default settings, 0.8 s with the settings below and 0.75 s with
 * tcmalloc. glibc's adaptive mmap threshold ends up keeping blocks of up to 32 MB in the heap, so
 * for the native backend the gap is smaller (a 32 x 128-token batch: 0.49 s untuned, 0.38 s tuned,
 * 0.41 s with tcmalloc). Keeping large blocks in the heap ({@code M_MMAP_MAX = 0}), never trimming
 * it ({@code M_TRIM_THRESHOLD}) and a top pad ({@code M_TOP_PAD}) of at least a thread arena's 64 MB
 * heap, which keeps such a heap mapped once it is empty (with glibc's 128 KB pad, RSS swung by
 * 53-63 MB as a heap was unmapped and mapped again), let batches reuse memory that is already
 * mapped. The price is that the process keeps its peak heap, and reaches it slowly: fragmenting free
 * space wanders into pages malloc holds but has not touched, so each model thread faults in what its
 * arena holds as it comes to hold it ({@link ArenaPages}). The settings are the whole process's,
 * so the JVM's own threads keep theirs too: in the benchmark's long runs, the JIT compiler's
 * thread kept the pages of its largest compilation, the per-batch path's (a 16 MB step), which is
 * why that path now frees its arrays by an {@code NDScope} alone: a sub-manager per batch doubled
 * that compilation (see docs/benchmarks.md, native memory over a long run).
 *
 * <p>Skipped when another allocator is preloaded (tcmalloc, jemalloc, mimalloc), off glibc, or when
 * {@code -Ddev.reranker.malloc=default} (or {@code RERANKER_MALLOC=default}) asks to leave malloc alone.
 *
 * <p>oneDNN, which runs the encoder's linears on CPUs, keeps up to 1,024 primitives per cache by
 * default (its own, {@code ONEDNN_PRIMITIVE_CACHE_CAPACITY}, and ideep's, {@code LRU_CACHE_CAPACITY}).
 * A primitive is made for one input shape and holds memory that grows with the shape's row count, and
 * packed batches have a new row count almost every time: measured on the MiniLM shape over mixed
 * lengths, full caches held about 250 MB and grew RSS by 200 MB over 6,000 pairs. A batch needs four
 * primitives (one per linear shape: query-key-value, attention output and the two feed-forward
 * linears, shared by every layer; attention runs in libtorch's fused kernel, which uses none), so both
 * caches are capped at {@value #PRIMITIVE_CACHE_CAPACITY}: layers still reuse them, batches of a
 * repeated shape still reuse them, and throughput on mixed lengths fell by about 2% (a capacity of 8
 * ran no faster). The cap is set in the process environment, which oneDNN reads when it first builds a
 * primitive; a capacity the user has set there is left alone. This applies whatever the allocator.
 */
public final class NativeMemory {

    private static final Logger logger = LoggerFactory.getLogger(NativeMemory.class);

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_MAX = -4;
    private static final int TOP_PAD_BYTES = 256 << 20;
    /** How {@link #state()} begins when the settings took, followed by glibc's version. */
    private static final String TUNED = "tuned glibc ";
    public static final int PRIMITIVE_CACHE_CAPACITY = 4;
    private static final String[] PRIMITIVE_CACHES = {"ONEDNN_PRIMITIVE_CACHE_CAPACITY", "LRU_CACHE_CAPACITY"};

    private static volatile String state;
    private static volatile String caches;

    /**
     * The C library: glibc's malloc tuning call, heap figures and version query (absent elsewhere;
     * JNA binds each function at its first call), and the process environment that native code reads
     * (Java's {@link System#getenv} is a copy).
     */
    interface LibC extends Library {
        int mallopt(int param, int value);

        String gnu_get_libc_version();

        int setenv(String name, String value, int overwrite);

        String getenv(String name);

        MallInfo2 mallinfo2();

        int madvise(Pointer address, long length, int advice);
    }

    /** The C library, bound once on first use; or why it could not be. */
    private static final class CLibrary {
        static final LibC LIBC;
        static final String FAILURE;

        static {
            LibC libc = null;
            String failure = null;
            try {
                libc = Native.load("c", LibC.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                failure = String.valueOf(e.getMessage());
            }
            LIBC = libc;
            FAILURE = failure;
        }
    }

    /** The bound C library; a missing one throws as {@code Native.load} did, every time it is asked for. */
    static LibC libc() {
        if (CLibrary.LIBC == null) {
            throw new UnsatisfiedLinkError(CLibrary.FAILURE);
        }
        return CLibrary.LIBC;
    }

    /** glibc's {@code struct mallinfo2}: ten {@code size_t} fields, in its order. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena; // bytes of the heaps, from the system
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd; // bytes in mmapped blocks
        public long usmblks;
        public long fsmblks;
        public long uordblks; // bytes of the heaps in use
        public long fordblks;
        public long keepcost;
    }

    /**
     * glibc's own account of its heap, summed over its arenas.
     *
     * @param held bytes malloc holds from the system (heaps and mmapped blocks)
     * @param inUse bytes of them allocated and not freed
     */
    public record Heap(long held, long inUse) {}

    /**
     * glibc's figures now ({@code mallinfo2}, glibc 2.33 and later), or null without them or when
     * another allocator is preloaded (glibc's heap is then idle, and its figures say nothing of the
     * process). When RSS grows while {@code inUse} does not, the growth is the allocator's (a new
     * peak, fragmentation), not memory kept alive.
     */
    public static Heap heap() {
        if (preloadedAllocator(System.getenv("LD_PRELOAD")) != null) {
            return null;
        }
        try {
            MallInfo2 info = libc().mallinfo2();
            return new Heap(info.arena + info.hblkhd, info.uordblks + info.hblkhd);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    private NativeMemory() {}

    /** What was done to malloc, for logs and the benchmark's report: {@code tuned}, or why not. */
    public static String state() {
        tune();
        return state;
    }

    /** Whether glibc's malloc runs with the settings above (so it keeps what it frees). */
    static boolean tuned() {
        return state().startsWith(TUNED);
    }

    /** The capacities of oneDNN's primitive caches, as the process environment now has them. */
    public static String primitiveCaches() {
        tune();
        return caches;
    }

    /** Applies the settings once per process; later calls do nothing. */
    public static synchronized void tune() {
        if (state != null) {
            return;
        }
        state = apply();
        caches = capPrimitiveCaches();
        logger.debug("malloc: {}; oneDNN primitive caches: {}", state, caches);
    }

    private static String capPrimitiveCaches() {
        try {
            LibC libc = libc();
            StringBuilder now = new StringBuilder();
            for (String name : PRIMITIVE_CACHES) {
                libc.setenv(name, Integer.toString(PRIMITIVE_CACHE_CAPACITY), 0); // 0: keep the user's value
                now.append(now.length() == 0 ? "" : " ").append(name).append('=').append(libc.getenv(name));
            }
            return now.toString();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "left at oneDNN's default (no C library: " + e.getMessage() + ")";
        }
    }

    /**
     * The malloc replacement that {@code ldPreload} (the value of {@code LD_PRELOAD}) names:
     * {@code tcmalloc}, {@code jemalloc} or {@code mimalloc}; null when it names none of them or is null.
     */
    public static String preloadedAllocator(String ldPreload) {
        if (ldPreload != null) {
            for (String allocator : new String[] {"tcmalloc", "jemalloc", "mimalloc"}) {
                if (ldPreload.contains(allocator)) {
                    return allocator;
                }
            }
        }
        return null;
    }

    private static String apply() {
        String choice = System.getProperty("dev.reranker.malloc", System.getenv("RERANKER_MALLOC"));
        if ("default".equalsIgnoreCase(choice)) {
            return "default (asked by dev.reranker.malloc / RERANKER_MALLOC)";
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "default (not Linux)";
        }
        String preloaded = preloadedAllocator(System.getenv("LD_PRELOAD"));
        if (preloaded != null) {
            return preloaded + " (preloaded)";
        }
        try {
            LibC libc = libc();
            String version = libc.gnu_get_libc_version();
            boolean ok = libc.mallopt(M_MMAP_MAX, 0) == 1
                    & libc.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1
                    & libc.mallopt(M_TOP_PAD, TOP_PAD_BYTES) == 1;
            return ok ? TUNED + version : "default (glibc " + version + " refused mallopt)";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "default (no glibc: " + e.getMessage() + ")";
        }
    }
}
