package io.prunestream.events;

/**
 * How a variant was calibrated after pruning, without training: {@code method} {@code bn} re-estimated the moving
 * statistics of {@code batchNorms} batch norms on {@code images} unlabeled images of the training split, in
 * {@code millis}. A variant without it (null) is as pruned.
 */
public record Calibration(String method, int images, int batchNorms, long millis) {

    /** Batch-norm re-estimation. */
    public static final String BATCH_NORM = "bn";

    public Calibration {
        if (!BATCH_NORM.equals(method)) {
            throw new IllegalArgumentException("calibration.method: '" + method + "' is not " + BATCH_NORM);
        }
        Require.atLeast(images, 2, "calibration.images");
        Require.atLeast(batchNorms, 1, "calibration.batchNorms");
        Require.atLeast(millis, 0, "calibration.millis");
    }
}
