package io.prunestream.datasets;

import java.util.SplittableRandom;

/**
 * Grey images turned into colour scenes, for colour datasets that are real images yet small and reproducible: each
 * image (Fashion-MNIST's 28x28 garments, say) is tinted with a colour of its own and laid, at a random offset, on a
 * background of another colour, in a {@code side × side} RGB image. The grey value is the garment's opacity. Seeded
 * per image, so the same images and seed always give the same bytes, whatever else is generated.
 */
public final class ColourScenes {

    private ColourScenes() {
    }

    public static LabeledImages of(LabeledImages grey, int side, long seed) {
        if (grey.channels() != 1 || grey.rows() > side || grey.columns() > side) {
            throw new IllegalArgumentException("colour scenes of " + side + "x" + side + " are made from grey images"
                    + " no larger, not " + grey.shape());
        }
        byte[] pixels = new byte[grey.count() * side * side * 3];
        for (int i = 0; i < grey.count(); i++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
            int[] background = colour(random, 0, 140);
            int[] tint = colour(random, 110, 256);
            int top = random.nextInt(side - grey.rows() + 1);
            int left = random.nextInt(side - grey.columns() + 1);
            int base = i * side * side * 3;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int gy = y - top;
                    int gx = x - left;
                    double alpha = gy >= 0 && gy < grey.rows() && gx >= 0 && gx < grey.columns()
                            ? (grey.pixels()[(i * grey.rows() + gy) * grey.columns() + gx] & 0xFF) / 255.0 : 0;
                    for (int c = 0; c < 3; c++) {
                        pixels[base + (y * side + x) * 3 + c] = (byte) Math.round(background[c] * (1 - alpha)
                                + tint[c] * alpha);
                    }
                }
            }
        }
        return new LabeledImages(grey.count(), side, side, 3, pixels, grey.labels().clone());
    }

    /**
     * Writes a {@code keras.datasets}-style {@code .npz} of colour scenes made from a grey dataset's folder (any
     * format): {@code ColourScenes <grey dataset folder> <out.npz> [side, default 32]}. What {@code ./run-local.sh
     * --dataset fashion-colour} registers.
     */
    public static void main(String[] args) throws Exception {
        Dataset grey = DatasetFormats.open(DatasetSpec.of("grey", java.nio.file.Path.of(args[0])));
        int side = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Splits splits = Splits.load(grey, Long.MAX_VALUE, "memory");
        DatasetWriters.numpy(java.nio.file.Path.of(args[1]), of(splits.train(), side, 1), of(splits.test(), side, 2),
                true);
    }

    private static int[] colour(SplittableRandom random, int low, int high) {
        return new int[] {random.nextInt(low, high), random.nextInt(low, high), random.nextInt(low, high)};
    }
}
