package dev.reranker.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * glibc's own account of its heap ({@code mallinfo2}, glibc 2.33 and later), summed over its arenas:
 * the bytes it holds from the system and the bytes of them in use. When RSS grows while the bytes in
 * use do not, the growth is the allocator's (a new peak or fragmentation), not memory kept alive.
 */
record MallocStats(long held, long inUse) {

    /** {@code struct mallinfo2}: ten {@code size_t} fields, in glibc's order. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class Info extends Structure implements Structure.ByValue {
        public long arena; // non-mmapped bytes from the system
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd; // mmapped bytes
        public long usmblks;
        public long fsmblks;
        public long uordblks; // bytes in use
        public long fordblks;
        public long keepcost;
    }

    interface LibC extends Library {
        Info mallinfo2();
    }

    private static final LibC LIBC = load();

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** glibc's figures now, or null off glibc or before 2.33 (and under another allocator they describe glibc's unused heap). */
    static MallocStats read() {
        if (LIBC == null) {
            return null;
        }
        try {
            Info info = LIBC.mallinfo2();
            return new MallocStats(info.arena + info.hblkhd, info.uordblks + info.hblkhd);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }
}
