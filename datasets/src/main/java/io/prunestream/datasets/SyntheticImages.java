package io.prunestream.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A small, learnable stand-in for MNIST-style data, for tests of everything that trains or scores: image i has
 * class i mod 10, drawn as a bright 6x6 square at a position of its own on random noise. Seeded, so the same
 * arguments give the same bytes.
 */
public final class SyntheticImages {

    private SyntheticImages() {
    }

    public static LabeledImages generate(int count, int side, long seed) {
        if (side < 16) {
            throw new IllegalArgumentException("side: " + side + " is below 16, too small for ten squares");
        }
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[count * side * side];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            int top = 2 + (label / 5) * (side / 2);
            int left = 2 + (label % 5) * ((side - 8) / 5);
            for (int p = 0; p < side * side; p++) {
                int row = p / side;
                int column = p % side;
                boolean inSquare = row >= top && row < top + 6 && column >= left && column < left + 6;
                pixels[i * side * side + p] = (byte) ((inSquare ? 180 : 0) + random.nextInt(60));
            }
        }
        return new LabeledImages(count, side, side, pixels, labels);
    }

    /** Writes a training and a test split as the four standard IDX files into {@code folder}. */
    public static void writeIdx(Path folder, int trainCount, int testCount, int side) throws IOException {
        writeIdx(folder, trainCount, testCount, side, 0);
    }

    /**
     * The same, with every label moved on by {@code labelShift} (mod 10): another dataset of the same images, which a
     * model trained on the first gets wrong, for tests that must tell datasets apart.
     */
    public static void writeIdx(Path folder, int trainCount, int testCount, int side, int labelShift)
            throws IOException {
        IdxFiles.write(folder, shifted(generate(trainCount, side, 1), labelShift),
                shifted(generate(testCount, side, 2), labelShift));
    }

    /** The images of {@code images} with each label moved on by {@code shift}, mod 10. */
    public static LabeledImages shifted(LabeledImages images, int shift) {
        int[] labels = new int[images.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Math.floorMod(images.label(i) + shift, 10);
        }
        return new LabeledImages(images.count(), images.rows(), images.columns(), images.channels(),
                images.pixels(), labels);
    }
}
