package io.prunestream.tensorflow.training;

import java.time.Duration;

/** Where a training stands: reported every {@code logEverySteps} steps. Loss and accuracy are over the last steps. */
public record Progress(int epoch, int epochs, long step, long totalSteps, double loss, double accuracy,
        double imagesPerSecond, Duration eta) {
}
