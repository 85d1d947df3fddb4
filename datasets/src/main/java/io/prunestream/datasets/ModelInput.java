package io.prunestream.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * How images of a dataset are fed to one model: the shape its input takes, {@code [n, H*W*C]}, {@code [n, H, W]},
 * {@code [n, H, W, C]} or {@code [n, C, H, W]}, with the values in the layout that shape implies, each pixel scaled
 * by {@link PixelScaling}. The one place where pixels become model input, for the evaluator, the trainer and tools.
 */
public record ModelInput(List<Long> shape, ImageLayout layout, PixelScaling scaling, int rows, int columns,
        int channels) {

    public ModelInput {
        shape = List.copyOf(shape);
        scaling.requireChannels(channels);
    }

    /** This project's own models: {@code [n, H, W, C]}, pixels divided by 255. */
    public static ModelInput nhwc(int rows, int columns, int channels) {
        return new ModelInput(List.of(-1L, (long) rows, (long) columns, (long) channels), ImageLayout.NHWC,
                PixelScaling.DEFAULT, rows, columns, channels);
    }

    /**
     * How to feed images of {@code rows x columns x channels} to an input of {@code inputShape} (-1: any size, the
     * first axis the batch). Where both NHWC and NCHW fit a rank-4 shape, {@code declared} decides; a flattened input
     * takes its values in the declared layout's order. A shape no layout fits is refused with both shapes named.
     */
    public static ModelInput resolve(List<Long> inputShape, int rows, int columns, int channels, ImageLayout declared,
            PixelScaling scaling) {
        long pixels = (long) rows * columns * channels;
        List<List<Long>> candidates = new ArrayList<>();
        List<ImageLayout> layouts = new ArrayList<>();
        switch (inputShape.size()) {
            case 2 -> {
                candidates.add(List.of(pixels));
                layouts.add(declared);
            }
            case 3 -> {
                if (channels == 1) {
                    candidates.add(List.of((long) rows, (long) columns));
                    layouts.add(ImageLayout.NHWC);
                }
            }
            case 4 -> {
                candidates.add(List.of((long) rows, (long) columns, (long) channels));
                layouts.add(ImageLayout.NHWC);
                candidates.add(List.of((long) channels, (long) rows, (long) columns));
                layouts.add(ImageLayout.NCHW);
            }
            default -> {
                // No image layout has another rank.
            }
        }
        List<Integer> fitting = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (fits(inputShape.subList(1, inputShape.size()), candidates.get(i))) {
                fitting.add(i);
            }
        }
        if (fitting.isEmpty()) {
            throw new IllegalArgumentException("input shape " + inputShape + " fits none of the layouts of "
                    + rows + "x" + columns + "x" + channels + " images: [-1, " + pixels + "]"
                    + (channels == 1 ? ", [-1, " + rows + ", " + columns + "]" : "") + ", [-1, " + rows + ", "
                    + columns + ", " + channels + "] (NHWC), [-1, " + channels + ", " + rows + ", " + columns
                    + "] (NCHW)");
        }
        if (inputShape.get(0) > 0) {
            throw new IllegalArgumentException("input shape " + inputShape + " fixes the batch size at "
                    + inputShape.get(0) + "; an input that takes any batch size (-1) is needed");
        }
        int chosen = fitting.get(0);
        for (int i : fitting) {
            if (layouts.get(i) == declared) {
                chosen = i;
            }
        }
        List<Long> shape = new ArrayList<>();
        shape.add(-1L);
        shape.addAll(candidates.get(chosen));
        return new ModelInput(shape, layouts.get(chosen), scaling, rows, columns, channels);
    }

    private static boolean fits(List<Long> shape, List<Long> expected) {
        if (shape.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < shape.size(); i++) {
            if (shape.get(i) != -1 && !shape.get(i).equals(expected.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The shape of a batch of {@code n} images. */
    public long[] batchShape(int n) {
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        dims[0] = n;
        return dims;
    }

    public int valuesPerImage() {
        return rows * columns * channels;
    }

    /** Images {@code indices[from] .. indices[from + n - 1]} of {@code data} as input values, row-major. */
    public float[] values(LabeledImages data, int[] indices, int from, int n) {
        float[] values = new float[n * valuesPerImage()];
        for (int i = 0; i < n; i++) {
            write(data, indices == null ? from + i : indices[from + i], values, i * valuesPerImage());
        }
        return values;
    }

    /** Images {@code from .. from + n - 1} of {@code data} as input values, row-major. */
    public float[] values(LabeledImages data, int from, int n) {
        return values(data, null, from, n);
    }

    private void write(LabeledImages data, int image, float[] into, int offset) {
        byte[] pixels = data.pixels();
        int source = image * valuesPerImage();
        int plane = rows * columns;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                // Images are stored HWC; NCHW puts each channel's plane together.
                int target = layout == ImageLayout.NCHW ? c * plane + p : p * channels + c;
                into[offset + target] = scaling.apply(pixels[source + p * channels + c] & 0xFF, c);
            }
        }
    }
}
