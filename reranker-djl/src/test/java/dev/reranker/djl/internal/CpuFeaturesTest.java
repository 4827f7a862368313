package dev.reranker.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Reading bf16 support from /proc/cpuinfo texts of the CPUs it was written for. */
final class CpuFeaturesTest {

    private static final String CASCADE_LAKE = """
            processor	: 0
            vendor_id	: GenuineIntel
            model name	: Intel(R) Xeon(R) Processor @ 2.50GHz
            flags		: fpu vme avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_vnni md_clear
            processor	: 1
            flags		: fpu vme avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_vnni md_clear
            """;

    private static final String ZEN5 = """
            processor	: 0
            vendor_id	: AuthenticAMD
            flags		: fpu avx2 avx512f avx512_bf16 avx512_vnni avx512_vp2intersect
            """;

    private static final String ZEN3 = """
            processor	: 0
            vendor_id	: AuthenticAMD
            cpu family	: 25
            model name	: AMD EPYC
            flags		: fpu vme sse sse2 ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c avx2 sha_ni
            """;

    private static final String SAPPHIRE_RAPIDS_AMX_ONLY = "flags : avx512f amx_tile amx_bf16 amx_int8\n";

    private static final String GRAVITON3 = """
            processor	: 0
            BogoMIPS	: 2100.00
            Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp sve bf16 i8mm
            """;

    private static final String GRAVITON2 = "Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics\n";

    @Test
    void x86_bf16IsAvx512Bf16OrAmx() {
        assertEquals(Optional.of(false), CpuFeatures.nativeBf16(CASCADE_LAKE));
        assertEquals(Optional.of(true), CpuFeatures.nativeBf16(ZEN5));
        assertEquals(Optional.of(true), CpuFeatures.nativeBf16(SAPPHIRE_RAPIDS_AMX_ONLY));
    }

    @Test
    void oneDnnBf16_needsAvx512sCoreSubsets_onX86() {
        assertEquals(Optional.of(true), CpuFeatures.oneDnnBf16(CASCADE_LAKE), "emulated, but there");
        assertEquals(Optional.of(false), CpuFeatures.oneDnnBf16(ZEN3));
        assertEquals(Optional.of(false), CpuFeatures.nativeBf16(ZEN3));
        // AVX-512 named without its core subsets, or not x86: no telling
        assertEquals(Optional.empty(), CpuFeatures.oneDnnBf16(SAPPHIRE_RAPIDS_AMX_ONLY));
        assertEquals(Optional.empty(), CpuFeatures.oneDnnBf16(GRAVITON3));
        assertEquals(Optional.empty(), CpuFeatures.oneDnnBf16(""));
    }

    @Test
    void arm_bf16IsItsOwnFeature() {
        assertEquals(Optional.of(true), CpuFeatures.nativeBf16(GRAVITON3));
        assertEquals(Optional.of(false), CpuFeatures.nativeBf16(GRAVITON2));
    }

    @Test
    void field_isTheFirstLineWithThatKey_trimmed() {
        assertEquals(Optional.of("Intel(R) Xeon(R) Processor @ 2.50GHz"),
                CpuFeatures.field(CASCADE_LAKE, "model name"));
        assertEquals(Optional.of("0"), CpuFeatures.field(CASCADE_LAKE, "processor"));
        assertEquals(Optional.empty(), CpuFeatures.field(GRAVITON3, "model name"));
    }

    @Test
    void withoutAFlagsLine_itCannotTell() {
        assertEquals(Optional.empty(), CpuFeatures.nativeBf16(""));
        assertEquals(Optional.empty(), CpuFeatures.nativeBf16("processor : 0\nmodel name : something\n"));
    }

    @Test
    void onLinux_thisMachinesCpuinfoHasALineToTell() {
        assumeTrue(Files.isReadable(Path.of("/proc/cpuinfo")), "Linux only");
        assertTrue(CpuFeatures.nativeBf16().isPresent(), "no flags or Features line in /proc/cpuinfo");
    }
}
