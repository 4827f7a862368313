package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Steal time off {@code /proc/stat}'s cpu line: the first eight counters are the machine's time. */
final class HostStealTest {

    @Test
    void stealShare_isStealTicksOverAllTicks_guestNotCountedTwice() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        HostSteal before = HostSteal.parse("cpu  1000 0 200 5000 10 0 5 100 300 0");
        HostSteal after = HostSteal.parse("cpu  1600 0 300 5200 10 0 5 200 700 0");
        assertEquals(1000 + 200 + 5000 + 10 + 5 + 100, before.totalTicks());
        // 600 user + 100 system + 200 idle + 100 steal: steal is 100 of 1,000
        assertEquals(10.0, after.percentSince(before), 1e-9);
    }

    @Test
    void kernelWithoutSteal_saysUnknown() {
        HostSteal before = HostSteal.parse("cpu 10 0 10 10");
        HostSteal after = HostSteal.parse("cpu 20 0 20 20");
        assertEquals(-1, after.percentSince(before));
    }

    @Test
    void thisMachine_readsAShareBetweenZeroAndAHundred() {
        HostSteal before = HostSteal.read();
        long until = System.nanoTime() + 50_000_000;
        double sink = 0;
        while (System.nanoTime() < until) {
            sink += Math.sqrt(sink + 1);
        }
        double share = HostSteal.read().percentSince(before);
        assertTrue(share == -1 || (share >= 0 && share <= 100), share + " (" + sink + ")");
    }

    @Test
    void notTheCpuLine_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> HostSteal.parse("intr 12345 0 0"));
    }
}
