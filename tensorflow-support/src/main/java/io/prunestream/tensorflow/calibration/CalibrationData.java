package io.prunestream.tensorflow.calibration;

import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * What calibration feeds a model: images {@code indices} of {@code split} (their labels unused), as {@code feed} makes
 * them the input {@code inputName} of signature {@code signatureKey}, in batches small enough that no batch's input
 * takes more than {@link #BATCH_BYTES}. The input values are converted once and kept when all of them fit in
 * {@link #KEPT_BYTES} (a few hundred small images), else converted again for each pass, so that calibrating a
 * 224x224 model holds a batch, not the whole set.
 */
public final class CalibrationData {

    /** The most one batch's input values may take. */
    static final long BATCH_BYTES = 64L << 20;
    /** The most the converted values of every image may take to be kept between passes. */
    static final long KEPT_BYTES = 256L << 20;

    private final String signatureKey;
    private final String inputName;
    private final ModelInput feed;
    private final ImageSplit split;
    private final int[] indices;
    private final long batchBytes;
    private final int batchSize;
    private float[] kept;

    public CalibrationData(String signatureKey, String inputName, ModelInput feed, ImageSplit split, int[] indices) {
        this(signatureKey, inputName, feed, split, indices, BATCH_BYTES);
    }

    private CalibrationData(String signatureKey, String inputName, ModelInput feed, ImageSplit split, int[] indices,
            long batchBytes) {
        if (indices.length < 2) {
            throw new IllegalArgumentException("calibration images: " + indices.length + ", at least 2 are needed");
        }
        this.signatureKey = signatureKey;
        this.inputName = inputName;
        this.feed = feed;
        this.split = split;
        this.indices = indices.clone();
        long perImage = 4L * feed.valuesPerImage();
        this.batchBytes = batchBytes;
        this.batchSize = (int) Math.max(1, Math.min(indices.length, batchBytes / perImage));
    }

    /** The same images in batches of at most {@code bytes} of input: what large images get, made small for tests. */
    CalibrationData withBatchBytes(long bytes) {
        return new CalibrationData(signatureKey, inputName, feed, split, indices, bytes);
    }

    /** The first {@code count} images of {@code images}. */
    public static CalibrationData of(String signatureKey, String inputName, ModelInput feed, LabeledImages images,
            int count) {
        if (count > images.count()) {
            throw new IllegalArgumentException("calibration images: " + count + " is more than the " + images.count()
                    + " at hand");
        }
        return new CalibrationData(signatureKey, inputName, feed, images.asSplit("calibration"),
                IntStream.range(0, count).toArray());
    }

    public String signatureKey() {
        return signatureKey;
    }

    public String inputName() {
        return inputName;
    }

    public ModelInput feed() {
        return feed;
    }

    public int count() {
        return indices.length;
    }

    /** The same data, its first {@code n} images only. */
    public CalibrationData first(int n) {
        return new CalibrationData(signatureKey, inputName, feed, split, Arrays.copyOf(indices, Math.min(n,
                indices.length)), batchBytes);
    }

    /** Images per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** How many batches cover every image. */
    public int batches() {
        return (indices.length + batchSize - 1) / batchSize;
    }

    /** How many images batch {@code b} holds. */
    public int size(int b) {
        return Math.min(batchSize, indices.length - b * batchSize);
    }

    /** Batch {@code b}'s input values, row-major, in {@link ModelInput#batchShape} of {@link #size}. */
    public float[] batch(int b) throws DatasetException {
        return images(b * batchSize, size(b));
    }

    /** The input values of images {@code from .. from + n - 1} of the sample, row-major. */
    public synchronized float[] images(int from, int n) throws DatasetException {
        long total = 4L * indices.length * feed.valuesPerImage();
        if (kept == null && total <= KEPT_BYTES) {
            kept = feed.values(split, indices, 0, indices.length);
        }
        if (kept != null) {
            return Arrays.copyOfRange(kept, from * feed.valuesPerImage(), (from + n) * feed.valuesPerImage());
        }
        // Read in the split's order, placed in the sample's.
        return feed.values(split, indices, from, n);
    }
}
