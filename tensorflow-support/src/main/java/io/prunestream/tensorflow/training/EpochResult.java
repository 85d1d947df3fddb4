package io.prunestream.tensorflow.training;

/** One finished epoch: training loss and accuracy over the epoch, and the test split's loss and accuracy after it. */
public record EpochResult(int epoch, long step, double trainLoss, double trainAccuracy, double testLoss,
        double testAccuracy, double imagesPerSecond) {
}
