package io.prunestream.evaluator.service;

/**
 * What scoring one model on the test split measured; {@code latencyMs}, the median single-image call, is null when
 * not measured.
 */
public record Score(double top1, double top5, double loss, int samples, String device, double imagesPerSecond,
        int batchSize, double batchLatencyP50Ms, double batchLatencyP95Ms, long durationMs, Double latencyMs) {
}
