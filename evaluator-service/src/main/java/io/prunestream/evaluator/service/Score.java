package io.prunestream.evaluator.service;

import io.prunestream.events.InputFeed;
import io.prunestream.events.Precision;
import io.prunestream.statistics.Correctness;

/**
 * What scoring one model on the test split measured; {@code latencyMs}, the median single-image call, is null when
 * not measured; {@code input}, what the model was fed; {@code precision}, the arithmetic it ran in;
 * {@code correctness}, which images it got right.
 */
public record Score(double top1, double top5, double loss, int samples, String device, double imagesPerSecond,
        int batchSize, double batchLatencyP50Ms, double batchLatencyP95Ms, long durationMs, Double latencyMs,
        InputFeed input, Precision precision, Correctness correctness) {
}
