package dev.reranker.djl.train;

import dev.reranker.eval.Evaluation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a training run did. Immutable.
 *
 * @param before the metrics of the starting model; null without evaluation data
 * @param after the metrics of the saved model (the best epoch); null without evaluation data
 * @param bestEpoch the epoch whose weights were saved, from 1: the one with the highest NDCG, or
 *     the last without evaluation data
 * @param output the checkpoint directory written
 */
public record TrainingResult(
        Evaluation before, Evaluation after, int bestEpoch, List<EpochResult> epochs, Duration duration,
        Path output) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
