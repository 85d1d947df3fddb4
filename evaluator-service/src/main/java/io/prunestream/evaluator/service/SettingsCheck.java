package io.prunestream.evaluator.service;

import io.prunestream.evaluator.config.EvaluatorConfig;

/** Settings out of range stop the evaluator at start-up, named, rather than fail or mislead every evaluation. */
final class SettingsCheck {

    private SettingsCheck() {
    }

    /** @throws IllegalStateException naming the first setting out of range and its value */
    static void require(EvaluatorConfig config) {
        if (config.batchSize() < 1) {
            throw new IllegalStateException("evaluator.batch-size: " + config.batchSize() + " must be at least 1");
        }
        if (config.decodeThreads() < 1) {
            throw new IllegalStateException("evaluator.decode-threads: " + config.decodeThreads()
                    + " must be at least 1");
        }
        if (!(config.confidenceLevel() >= 0.5 && config.confidenceLevel() < 1)) {
            throw new IllegalStateException("evaluator.confidence-level: " + config.confidenceLevel()
                    + " is outside [0.5, 1)");
        }
        double tolerance = config.sequential().tolerance();
        if (!(tolerance > 0 && tolerance <= 50)) {
            throw new IllegalStateException("evaluator.sequential.tolerance: " + tolerance
                    + " points is outside (0, 50]");
        }
        double broken = config.sequential().brokenDrop();
        if (!(broken > 0 && broken <= 100)) {
            throw new IllegalStateException("evaluator.sequential.broken-drop: " + broken
                    + " points is outside (0, 100]");
        }
        if (config.denseWait().isNegative()) {
            throw new IllegalStateException("evaluator.dense-wait: " + config.denseWait() + " is negative");
        }
    }
}
