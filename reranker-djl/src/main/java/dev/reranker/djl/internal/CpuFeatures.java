package dev.reranker.djl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the CPU offers, and its name for benchmark reports, read from Linux's {@code /proc/cpuinfo}.
 * Used to warn when bf16 is asked for on a CPU that has no bf16 instructions: libtorch then emulates
 * them, and bf16 runs slower than fp32 (measured on an Intel Xeon of the Cascade Lake generation:
 * 2.7-3.3x slower on the MiniLM-L6 shape, 4x on the bge-reranker-base shape; on an AMD EPYC of the
 * Zen 3 generation, AVX2 only, about 7x on both), and to tell whether oneDNN can run bf16 at all
 * (see {@link #oneDnnBf16()}).
 */
public final class CpuFeatures {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    /** x86: AVX-512 BF16 (Cooper Lake, Sapphire Rapids and later, AMD Zen 4 and later) or AMX. */
    private static final Set<String> X86_BF16 = Set.of("avx512_bf16", "amx_bf16");
    /** x86: AVX-512's core subsets, which oneDNN needs for any bf16 primitive ({@code avx512_core}). */
    private static final Set<String> X86_AVX512_CORE = Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq");
    /** Arm: the FEAT_BF16 instructions (Armv8.6, Graviton 3, Neoverse V1 and later). */
    private static final String ARM_BF16 = "bf16";

    private CpuFeatures() {}

    /** Whether this machine's CPU has bf16 instructions; empty when it cannot tell (not Linux). */
    public static Optional<Boolean> nativeBf16() {
        return cpuinfo().flatMap(CpuFeatures::nativeBf16);
    }

    /**
     * Whether libtorch's oneDNN has bf16 matrix multiplies on this CPU; empty when it cannot tell. On
     * x86, oneDNN runs bf16 (emulating it where the CPU lacks bf16 instructions) only with AVX-512's
     * core subsets: on an AVX2-only CPU (AMD Zen 3 measured) it refuses to build a bf16 inner product,
     * and the library's bf16 layers fall back to libtorch's portable operators.
     */
    public static Optional<Boolean> oneDnnBf16() {
        return cpuinfo().flatMap(CpuFeatures::oneDnnBf16);
    }

    /** The CPU's model name as {@code /proc/cpuinfo} gives it (x86); empty where it gives none. */
    public static Optional<String> modelName() {
        return cpuinfo().flatMap(text -> field(text, "model name"));
    }

    /**
     * Whether the CPU that {@code cpuinfo} (the text of {@code /proc/cpuinfo}) describes has bf16
     * instructions, from its first {@code flags} line (x86) or {@code Features} line (Arm); empty
     * when it has neither line.
     */
    static Optional<Boolean> nativeBf16(String cpuinfo) {
        Optional<Set<String>> x86 = words(cpuinfo, "flags");
        if (x86.isPresent()) {
            return x86.map(flags -> flags.stream().anyMatch(X86_BF16::contains));
        }
        return words(cpuinfo, "Features").map(flags -> flags.contains(ARM_BF16));
    }

    /**
     * Whether oneDNN has bf16 on the CPU that {@code cpuinfo} describes: true with AVX-512's core
     * subsets; false on x86 without AVX-512 or the AVX2 bf16 conversions ({@code avx_ne_convert},
     * which newer oneDNN versions use on some AVX2 CPUs); empty otherwise (those CPUs, Arm).
     */
    static Optional<Boolean> oneDnnBf16(String cpuinfo) {
        Optional<Set<String>> flags = words(cpuinfo, "flags");
        if (flags.isEmpty()) {
            return Optional.empty();
        }
        if (flags.get().containsAll(X86_AVX512_CORE)) {
            return Optional.of(true);
        }
        return flags.get().contains("avx512f") || flags.get().contains("avx_ne_convert") ? Optional.empty()
                : Optional.of(false);
    }

    /**
     * Why oneDNN refuses bf16 on this CPU ({@code "bf16 needs AVX-512, which this CPU lacks"}), when
     * {@link #oneDnnBf16()} knows it cannot run it; empty otherwise. For error and log messages.
     */
    public static Optional<String> whyNoOneDnnBf16() {
        return oneDnnBf16().equals(Optional.of(false)) ? Optional.of("bf16 needs AVX-512, which this CPU lacks")
                : Optional.empty();
    }

    /** The words of the first {@code key : value} line of {@code cpuinfo} with that key: a flags list. */
    private static Optional<Set<String>> words(String cpuinfo, String key) {
        return field(cpuinfo, key).map(line -> Set.copyOf(List.of(line.split("\\s+"))));
    }

    /** The value of the first {@code key : value} line of {@code cpuinfo} with that key, trimmed. */
    static Optional<String> field(String cpuinfo, String key) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon >= 0 && line.substring(0, colon).trim().equals(key)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> cpuinfo() {
        try {
            return Optional.of(Files.readString(CPUINFO, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
