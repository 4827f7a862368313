package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reranker.djl.train.TrainingProgress;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which of the trainer's per-step reports reach stderr, on a clock the test moves. */
final class ProgressPrinterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long now = 1_000_000_000L;
    private final ProgressPrinter printer =
            new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> now);

    @Test
    void fastSteps_onlyEachEpochsLastStep() {
        for (int step = 1; step <= 6; step++) {
            now += Duration.ofMillis(100).toNanos();
            printer.accept(progress(step, 6, 2));
        }

        assertEquals(List.of(progress(3, 6, 2).toString(), progress(6, 6, 2).toString()), lines());
    }

    @Test
    void fastSteps_aLineOnceFiveSecondsHavePassed() {
        for (int step = 1; step <= 100; step++) {
            now += Duration.ofMillis(200).toNanos();
            printer.accept(progress(step, 100, 1));
        }

        // 5 s is 25 steps of 200 ms; the 100th is also the last.
        assertEquals(List.of(progress(25, 100, 1).toString(), progress(50, 100, 1).toString(),
                progress(75, 100, 1).toString(), progress(100, 100, 1).toString()), lines());
    }

    @Test
    void slowSteps_everyStep() {
        for (int step = 1; step <= 3; step++) {
            now += Duration.ofSeconds(6).toNanos();
            printer.accept(progress(step, 10, 1));
        }

        assertEquals(3, lines().size());
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static TrainingProgress progress(int step, int steps, int epochs) {
        int epoch = (step - 1) / (steps / epochs) + 1;
        return new TrainingProgress(epoch, epochs, step, steps, 0.5, 2e-5, Duration.ofSeconds(step),
                Duration.ofSeconds(steps - step));
    }
}
