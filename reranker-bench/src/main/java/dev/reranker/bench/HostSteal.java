package dev.reranker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU ticks and steal ticks from {@code /proc/stat}: steal is time the hypervisor gave
 * the machine's virtual CPUs to other guests. On a shared virtual machine a slow stretch with steal
 * up was the host's doing, not the code's. Two readings give the steal share between them.
 *
 * @param totalTicks user, nice, system, idle, iowait, irq, softirq and steal, summed over all CPUs
 * @param stealTicks -1 where the kernel does not report steal
 */
record HostSteal(long totalTicks, long stealTicks) {

    private static final Path STAT = Path.of("/proc/stat");

    /** Reads {@code /proc/stat}; Linux only. */
    static HostSteal read() {
        try {
            return parse(Files.readAllLines(STAT, StandardCharsets.US_ASCII).get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + STAT + " (Linux only)", e);
        }
    }

    /** Reads the first line of {@code /proc/stat}, the sums over all CPUs. */
    static HostSteal parse(String cpuLine) {
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is in user)
        String[] ticks = cpuLine.trim().split("\\s+");
        if (!ticks[0].equals("cpu")) {
            throw new IllegalArgumentException("expected /proc/stat's cpu line, got: " + cpuLine);
        }
        long total = 0;
        for (int i = 1; i <= Math.min(8, ticks.length - 1); i++) {
            total += Long.parseLong(ticks[i]);
        }
        return new HostSteal(total, ticks.length > 8 ? Long.parseLong(ticks[8]) : -1);
    }

    /** The steal share of the machine's time since {@code earlier}, in percent; -1 if unknown. */
    double percentSince(HostSteal earlier) {
        long machine = totalTicks - earlier.totalTicks;
        return stealTicks < 0 || machine <= 0 ? -1 : 100.0 * (stealTicks - earlier.stealTicks) / machine;
    }
}
