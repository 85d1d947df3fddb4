package io.prunestream.pruner.service;

/**
 * Why a checkpoint's calibrated or reconstructed variants were not produced (its uncalibrated ones still are); the
 * code tags the skip counter, which is registered for every reason at start so that a dashboard reads zeros.
 */
public enum CalibrationSkip {
    NO_CALIBRATION_DATA("no-calibration-data"),
    INPUT_SHAPE_MISMATCH("input-shape-mismatch"),
    UNREADABLE_GRAPH("unreadable-graph"),
    NO_BATCH_NORM("no-batch-norm"),
    WEIGHTS_EXCEED_HEAP("weights-exceed-heap");

    private final String code;

    CalibrationSkip(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
