package dev.reranker.djl.internal.nativemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** F16 decoding ({@link SafetensorsFile#halfToFloat}) and encoding ({@link SafetensorsWriter#floatToHalf}). */
final class SafetensorsHalfFloatTest {

    private static float half(int bits) {
        return SafetensorsFile.halfToFloat((short) bits);
    }

    /** Compares bit patterns, so that -0.0 and 0.0 differ and NaN equals NaN. */
    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                what + ": expected " + expected + ", was " + actual);
    }

    @Test
    void halfToFloat_knownValues() {
        assertBits(0f, half(0x0000), "zero");
        assertBits(-0f, half(0x8000), "negative zero");
        assertBits(1f, half(0x3c00), "one");
        assertBits(-2f, half(0xc000), "minus two");
        assertBits(65504f, half(0x7bff), "largest finite");
        assertBits(-65504f, half(0xfbff), "most negative finite");
        assertBits(0x1p-24f, half(0x0001), "smallest subnormal");
        assertBits(-0x1p-24f, half(0x8001), "smallest negative subnormal");
        assertBits(1023 * 0x1p-24f, half(0x03ff), "largest subnormal");
        assertBits(0x1p-14f, half(0x0400), "smallest normal");
        assertBits(0.333251953125f, half(0x3555), "nearest half to a third");
        assertBits(1f + 0x1p-10f, half(0x3c01), "one plus one ulp");
        assertBits(Float.POSITIVE_INFINITY, half(0x7c00), "infinity");
        assertBits(Float.NEGATIVE_INFINITY, half(0xfc00), "minus infinity");
        assertTrue(Float.isNaN(half(0x7e00)), "quiet NaN");
        assertTrue(Float.isNaN(half(0x7c01)), "signalling NaN");
        assertTrue(Float.isNaN(half(0xffff)), "negative NaN");
    }

    @Test
    void halfToFloat_everyFiniteHalf_isExactlyItsValue() {
        // value = (-1)^s * 2^(e-15) * (1 + m/1024), or 2^-14 * m/1024 when e == 0: computed independently
        for (int bits = 0; bits <= 0xffff; bits++) {
            int exponent = (bits >> 10) & 0x1f;
            if (exponent == 0x1f) {
                continue;
            }
            int mantissa = bits & 0x3ff;
            double magnitude = exponent == 0 ? Math.scalb(mantissa / 1024.0, -14)
                    : Math.scalb(1 + mantissa / 1024.0, exponent - 15);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            assertEquals(expected, half(bits), 0.0, "0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void f16_encodeThenDecode_ofEveryHalf_givesItBack() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = half(bits);
            short again = SafetensorsWriter.floatToHalf(value);
            if (Float.isNaN(value)) {
                assertTrue(Float.isNaN(SafetensorsFile.halfToFloat(again)), "NaN 0x" + Integer.toHexString(bits));
            } else {
                assertEquals(bits, again & 0xffff, "0x" + Integer.toHexString(bits) + " = " + value);
            }
        }
    }

    @Test
    void f16_roundTrip_ofFloats_givesTheNearestHalf() {
        float[][] cases = {
            // value, what it becomes
            {0.1f, 0.0999755859375f},
            {3.14159265f, 3.140625f},
            {-1234.5678f, -1235.0f},               // spacing 1 between 1024 and 2048
            {65519f, 65504f},                     // just below the midpoint to infinity
            {1e-7f, 0x1p-24f * 2},                // subnormal: 1e-7 / 2^-24 = 1.68, rounds to 2
            {1f + 0x1p-11f, 1f},                  // a tie rounds to the even mantissa, down...
            {1f + 3 * 0x1p-11f, 1f + 2 * 0x1p-10f}, // ... or up
            {0x1p-25f, 0f},                       // half the smallest subnormal: a tie, to even zero
            {0x1.8p-25f, 0x1p-24f},               // above that tie: the smallest subnormal
            {1e-9f, 0f},
            {-1e-9f, -0f},
            {65520f, Float.POSITIVE_INFINITY},    // the midpoint to infinity rounds to even, i.e. up
            {1e6f, Float.POSITIVE_INFINITY},
            {-1e6f, Float.NEGATIVE_INFINITY},
            {Float.MIN_VALUE, 0f},                // a float subnormal
        };
        for (float[] c : cases) {
            assertBits(c[1], SafetensorsFile.halfToFloat(SafetensorsWriter.floatToHalf(c[0])), "round trip of " + c[0]);
        }
        assertTrue(Float.isNaN(SafetensorsFile.halfToFloat(SafetensorsWriter.floatToHalf(Float.NaN))));
    }

    @Test
    void floatToHalf_isNearestForAnyFloatInRange() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            // random mantissas with exponents from 2^-27 (below the subnormals) to 2^15 (the largest)
            int exponent = 127 - 27 + random.nextInt(43);
            int sign = random.nextBoolean() ? 0x80000000 : 0;
            float value = Float.intBitsToFloat(sign | exponent << 23 | random.nextInt(1 << 23));
            if (Math.abs(value) > 65504f || Float.isNaN(value)) {
                continue;
            }
            int h = SafetensorsWriter.floatToHalf(value) & 0xffff;
            double error = Math.abs((double) half(h) - value);
            for (int neighbour : new int[] {h - 1, h + 1}) {
                if ((neighbour & 0x7c00) == 0x7c00 || (neighbour & 0x8000) != (h & 0x8000) || neighbour < 0) {
                    continue; // infinity, NaN, or across zero
                }
                assertTrue(error <= Math.abs((double) half(neighbour) - value),
                        value + " became " + half(h) + " but " + half(neighbour) + " is nearer");
            }
        }
    }

    @Test
    void floatToBfloat16_roundsTheTop16BitsToNearestEven() {
        assertEquals(0x3f80, SafetensorsWriter.floatToBfloat16(1f) & 0xffff);
        assertEquals(0xc000, SafetensorsWriter.floatToBfloat16(-2f) & 0xffff);
        assertEquals(0x8000, SafetensorsWriter.floatToBfloat16(-0f) & 0xffff);
        assertEquals(0x3f80, SafetensorsWriter.floatToBfloat16(Float.intBitsToFloat(0x3f807fff)) & 0xffff, "below the tie");
        assertEquals(0x3f80, SafetensorsWriter.floatToBfloat16(Float.intBitsToFloat(0x3f808000)) & 0xffff, "tie, even");
        assertEquals(0x3f81, SafetensorsWriter.floatToBfloat16(Float.intBitsToFloat(0x3f808001)) & 0xffff, "above the tie");
        assertEquals(0x3f82, SafetensorsWriter.floatToBfloat16(Float.intBitsToFloat(0x3f818000)) & 0xffff, "tie, odd: up");
        assertEquals(0x7f80, SafetensorsWriter.floatToBfloat16(Float.MAX_VALUE) & 0xffff, "overflows to infinity");
        assertEquals(0x7f80, SafetensorsWriter.floatToBfloat16(Float.POSITIVE_INFINITY) & 0xffff);
        short nan = SafetensorsWriter.floatToBfloat16(Float.intBitsToFloat(0x7f800001)); // NaN whose payload is all low bits
        assertTrue(Float.isNaN(Float.intBitsToFloat((nan & 0xffff) << 16)), "NaN stays NaN");
    }
}
