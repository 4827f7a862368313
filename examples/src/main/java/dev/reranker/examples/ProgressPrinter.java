package dev.reranker.examples;

import dev.reranker.djl.train.TrainingProgress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Prints {@code train}'s progress to stderr without flooding it. The trainer reports every optimizer
 * step, which on a small model is many per second; this prints one when at least {@link #EVERY} has
 * passed since the last line (so every step when steps are slower than that), and always the last
 * step of each epoch, after which the model is measured and the terminal would otherwise go quiet.
 */
final class ProgressPrinter implements Consumer<TrainingProgress> {

    static final Duration EVERY = Duration.ofSeconds(5);

    private final PrintStream err;
    private final LongSupplier nanoTime;
    private long last;

    /** @param nanoTime the clock, {@code System::nanoTime} outside tests; read once now, as the start */
    ProgressPrinter(PrintStream err, LongSupplier nanoTime) {
        this.err = err;
        this.nanoTime = nanoTime;
        this.last = nanoTime.getAsLong();
    }

    @Override
    public void accept(TrainingProgress progress) {
        long now = nanoTime.getAsLong();
        // Every epoch takes the same number of steps.
        int stepsPerEpoch = Math.max(1, progress.steps() / progress.epochs());
        boolean endOfEpoch = progress.step() % stepsPerEpoch == 0 || progress.step() == progress.steps();
        if (endOfEpoch || now - last >= EVERY.toNanos()) {
            err.println(progress);
            err.flush();
            last = now;
        }
    }
}
