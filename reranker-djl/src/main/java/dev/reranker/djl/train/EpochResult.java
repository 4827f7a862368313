package dev.reranker.djl.train;

import dev.reranker.eval.Evaluation;

import java.time.Duration;

/**
 * One epoch of training: its mean loss and, when there was evaluation data, the metrics after it.
 *
 * @param epoch from 1
 * @param evaluation null without evaluation data
 */
public record EpochResult(int epoch, double meanLoss, Evaluation evaluation, Duration duration) {}
