package io.prunestream.tensorflow.training;

import io.prunestream.datasets.LabeledImages;
import java.util.Random;

/** Small learnable images: class c is a bright 6x6 square at a position of its own, on noise. */
final class SyntheticImages {

    private SyntheticImages() {
    }

    static LabeledImages generate(int count, int side, long seed) {
        Random random = new Random(seed);
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
                int value = (inSquare ? 180 : 0) + random.nextInt(60);
                pixels[i * side * side + p] = (byte) value;
            }
        }
        return new LabeledImages(count, side, side, pixels, labels);
    }
}
