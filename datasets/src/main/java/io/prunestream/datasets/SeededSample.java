package io.prunestream.datasets;

import java.util.SplittableRandom;

/**
 * A random sample of a split's images, the same for the same seed: the first {@code count} positions of a seeded
 * shuffle of {@code 0 .. size - 1}, so that the first {@code n} of a sample are a sample of {@code n} too. What
 * calibration draws its images with, so that they are not the first images of a split sorted by class.
 */
public final class SeededSample {

    private SeededSample() {
    }

    public static int[] of(int size, int count, long seed) {
        if (count < 0 || count > size) {
            throw new IllegalArgumentException("a sample of " + count + " from " + size + " images");
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(size - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return java.util.Arrays.copyOf(order, count);
    }
}
