package dev.reranker.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The minor page faults of each live thread of this process, read from {@code /proc/self/task}:
 * which thread touched memory for the first time. A step in RSS whose faults fall on the JIT
 * compiler's thread is the JVM's, one on the reranker's predictor thread is the model's.
 *
 * @param byTask each live thread's task id, with its name and its minor faults so far
 */
record ThreadFaults(Map<Long, Named> byTask) {

    private static final Path TASKS = Path.of("/proc/self/task");

    /** A thread's name as Linux keeps it (at most 15 characters) and its minor faults so far. */
    record Named(String name, long faults) {}

    /** The threads now; empty where {@code /proc/self/task} cannot be read (not Linux). */
    static ThreadFaults read() {
        Map<Long, Named> tasks = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(TASKS)) {
            for (Path dir : dirs) {
                try {
                    String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
                    tasks.put(Long.parseLong(dir.getFileName().toString()), new Named(name(stat), minorFaults(stat)));
                } catch (NoSuchFileException ended) {
                    // the thread ended while the directory was read
                }
            }
        } catch (IOException e) {
            return new ThreadFaults(Map.of());
        }
        return new ThreadFaults(tasks);
    }

    /**
     * Minor faults since {@code earlier}, summed by {@link #kind} of thread, in order of kind; threads
     * that ended in between are missing (their faults still count in the process's total). A thread
     * started since counts all of its faults.
     */
    Map<String, Long> since(ThreadFaults earlier) {
        Map<String, Long> kinds = new TreeMap<>();
        byTask.forEach((task, now) -> {
            Named before = earlier.byTask.get(task);
            long faults = now.faults - (before != null && before.name.equals(now.name) ? before.faults : 0);
            if (faults > 0) {
                kinds.merge(kind(now.name), faults, Long::sum);
            }
        });
        return kinds;
    }

    /** The kind of {@code kinds}' largest entry and its share, as {@code "C2 CompilerThre 79%"}; "-" if none. */
    static String largest(Map<String, Long> kinds) {
        long total = kinds.values().stream().mapToLong(Long::longValue).sum();
        return kinds.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / total) + "%")
                .orElse("-");
    }

    /**
     * A thread's name without its number, so that threads of one pool add up: {@code GC Thread#1}
     * becomes {@code GC Thread}, {@code pool-2-thread-7} {@code pool-2-thread}.
     */
    static String kind(String name) {
        return name.replaceFirst("[#-]?\\d+$", "");
    }

    /**
     * The name in a {@code /proc/.../stat} line, {@code pid (comm) state ...}: what lies between the
     * first '(' and the last ')' (the name may hold spaces and parentheses).
     */
    static String name(String stat) {
        int begin = stat.indexOf('(');
        int end = stat.lastIndexOf(')');
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a /proc stat line (no name in parentheses): " + stat);
        }
        return stat.substring(begin + 1, end);
    }

    /**
     * The {@code minflt} field of a {@code /proc/.../stat} line: {@code pid (comm) state ppid ...},
     * the 8th field after the name's closing parenthesis (the name may hold spaces and parentheses).
     */
    static long minorFaults(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc stat line (no ')' after the name): " + stat);
        }
        String[] fields = stat.substring(end + 1).trim().split("\\s+");
        if (fields.length < 8) {
            throw new IllegalArgumentException("not a /proc stat line (" + fields.length
                    + " fields after the name, minflt is the 8th): " + stat);
        }
        return Long.parseLong(fields[7]);
    }
}
