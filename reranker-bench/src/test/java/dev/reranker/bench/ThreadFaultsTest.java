package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which thread touched memory: the /proc parsing, and the real threads of this test's JVM. */
final class ThreadFaultsTest {

    @Test
    void minorFaultsAndName_nameWithSpacesAndParentheses_areReadAroundIt() {
        String stat = "4242 (C2 Compiler) (x) S 1 4242 4242 0 -1 4194368 12345 0 7 0 150 20 0 0 20 0 30 0";
        assertEquals(12345, ThreadFaults.minorFaults(stat));
        assertEquals("C2 Compiler) (x", ThreadFaults.name(stat));
    }

    @Test
    void minorFaults_notAStatLine_saysWhatWasExpected() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> ThreadFaults.minorFaults("4242 (java) S 1")).getMessage();
        assertTrue(message.contains("minflt is the 8th"), message);
    }

    @Test
    void kind_dropsThePoolNumber() {
        assertEquals("GC Thread", ThreadFaults.kind("GC Thread#1"));
        assertEquals("pool-2-thread", ThreadFaults.kind("pool-2-thread-7"));
        assertEquals("C2 CompilerThre", ThreadFaults.kind("C2 CompilerThre"));
        assertEquals("reranker-1-pred", ThreadFaults.kind("reranker-1-pred"));
    }

    @Test
    void largest_namesTheKindWithTheMostFaultsAndItsShare() {
        assertEquals("C2 CompilerThre 80%", ThreadFaults.largest(Map.of("C2 CompilerThre", 400L, "java", 100L)));
        assertEquals("-", ThreadFaults.largest(Map.of()));
    }

    @Test
    void since_pagesTouchedByANamedThread_countForThatThread(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        ThreadFaults before = ThreadFaults.read();
        Map<String, Long> kinds = new ConcurrentHashMap<>();
        Thread thread = new Thread(() -> {
            // A fresh mapping of a new file: its pages fault in on first write, whatever malloc keeps.
            try (FileChannel file = FileChannel.open(dir.resolve("pages"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer pages = file.map(FileChannel.MapMode.READ_WRITE, 0, 16 << 20);
                for (int at = 0; at < pages.capacity(); at += 4096) {
                    pages.put(at, (byte) 1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            kinds.putAll(ThreadFaults.read().since(before));
        }, "faults-probe-1");
        thread.start();
        thread.join();
        // 4,096 pages written, at least one fault per 16 (the most the kernel maps around one fault);
        // counted under the name as Linux keeps it, without the number
        assertTrue(kinds.getOrDefault("faults-probe", 0L) >= 4_096 / 16, kinds.toString());
    }
}
