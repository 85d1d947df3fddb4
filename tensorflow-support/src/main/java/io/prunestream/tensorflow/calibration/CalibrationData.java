package io.prunestream.tensorflow.calibration;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;

/**
 * What calibration feeds a model: the first {@code count} of {@code images} (their labels unused), as
 * {@code feed} makes them the input {@code inputName} of signature {@code signatureKey}.
 */
public record CalibrationData(String signatureKey, String inputName, ModelInput feed, LabeledImages images,
        int count) {

    public CalibrationData {
        if (count < 2 || count > images.count()) {
            throw new IllegalArgumentException("calibration images: " + count + " is outside 2.." + images.count()
                    + " (the images at hand)");
        }
    }

    /** The same data, its first {@code n} images only. */
    public CalibrationData first(int n) {
        return new CalibrationData(signatureKey, inputName, feed, images, n);
    }
}
