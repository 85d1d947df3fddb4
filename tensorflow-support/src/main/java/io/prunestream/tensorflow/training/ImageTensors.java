package io.prunestream.tensorflow.training;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.PixelScaling;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Images and labels of a dataset as the tensors this project's own networks train and infer on. */
public final class ImageTensors {

    private ImageTensors() {
    }

    /** Pixels of the chosen images, scaled to [0, 1], as {@code [n, h, w, c]} ({@link ModelInput#nhwc}). */
    public static TFloat32 images(LabeledImages data, int[] indices, int from, int size) {
        ModelInput input = ModelInput.nhwc(data.rows(), data.columns(), data.channels());
        return TFloat32.tensorOf(Shape.of(input.batchShape(size)), DataBuffers.of(input.values(data, indices, from,
                size), true, false));
    }

    /** One-hot rows {@code [size, classes]} of the chosen images' labels. */
    public static TFloat32 oneHot(LabeledImages data, int[] indices, int from, int size, int classes) {
        float[] values = new float[size * classes];
        for (int i = 0; i < size; i++) {
            values[i * classes + data.label(indices[from + i])] = 1f;
        }
        return TFloat32.tensorOf(Shape.of(size, classes), DataBuffers.of(values, true, false));
    }

    /**
     * Mean and standard deviation of the pixels (every channel together) as the networks see them
     * ({@link PixelScaling#DEFAULT}: scaled to [0, 1]); the model standardises with them.
     */
    public static float[] pixelStatistics(LabeledImages data) {
        double sum = 0;
        double squares = 0;
        for (byte b : data.pixels()) {
            double v = PixelScaling.DEFAULT.scaled(b & 0xFF, 0);
            sum += v;
            squares += v * v;
        }
        double n = data.pixels().length;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(squares / n - mean * mean, 1e-12));
        return new float[] {(float) mean, (float) std};
    }
}
