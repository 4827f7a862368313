package dev.reranker.djl.train;

import java.time.Duration;

/**
 * Where a training run is, reported after every optimizer step.
 *
 * @param epoch the current epoch, from 1
 * @param step optimizer steps done, over all epochs
 * @param steps optimizer steps the run will take
 * @param loss the mean loss of the micro-batches since the previous report
 * @param learningRate the rate the last step used
 * @param remaining estimated from the pace so far, not counting evaluation
 */
public record TrainingProgress(
        int epoch, int epochs, int step, int steps, double loss, double learningRate, Duration elapsed,
        Duration remaining) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f lr %.2e elapsed %s left ~%s",
                epoch, epochs, step, steps, loss, learningRate, format(elapsed), format(remaining));
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
