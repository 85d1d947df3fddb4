package io.prunestream.datasets;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;
import io.prunestream.events.Preprocessing;
import java.util.ArrayList;
import java.util.List;

/**
 * How images of a dataset are fed to one model, the one place where pixels become model input (for the evaluator,
 * the pruner's calibration, the trainer and tools): the shape its input takes, {@code [n, H*W*C]}, {@code [n, H, W]},
 * {@code [n, H, W, C]} or {@code [n, C, H, W]}, the image brought to {@code rows × columns × channels} by
 * {@link ImageTransform} (channel order, resize, centre crop), each value scaled by {@link PixelScaling}, in the layout
 * the shape implies.
 */
public record ModelInput(List<Long> shape, ImageLayout layout, int rows, int columns, int channels,
        ImageTransform transform, PixelScaling scaling) {

    public ModelInput {
        shape = List.copyOf(shape);
        if (transform.order().count() != channels) {
            throw new IllegalArgumentException("channel order " + transform.order() + " gives "
                    + transform.order().count() + " channels, not " + channels);
        }
    }

    /** This project's own models: {@code [n, H, W, C]}, pixels divided by 255, images as they are. */
    public static ModelInput nhwc(int rows, int columns, int channels) {
        return new ModelInput(List.of(-1L, (long) rows, (long) columns, (long) channels), ImageLayout.NHWC, rows,
                columns, channels, new ImageTransform(channels == 1 ? Channels.GREY : Channels.RGB, null, null,
                        Resampling.BILINEAR), PixelScaling.DEFAULT);
    }

    /** One way the input's axes may hold an image: its height, width and channels (-1: any), or a flat length. */
    private record Candidate(ImageLayout layout, long height, long width, long channels, Long flat) {
    }

    /**
     * How to feed images of {@code data} to an input of {@code inputShape} (-1: any size; the first axis the batch)
     * as {@code preprocessing} declares. Where both NHWC and NCHW fit a rank-4 shape, the declared layout decides;
     * a flattened input takes its values in the declared layout's order. Refused, by name: a mean or std that fits
     * no channel count ({@code invalid-preprocessing}); grey images for a colour input or colour ones for a grey input
     * without {@code channels} declared, images of another size (or of several) without {@code resize}, a shape no
     * layout fits ({@code input-shape-mismatch}).
     */
    public static ModelInput resolve(List<Long> inputShape, ImageShape data, Preprocessing preprocessing)
            throws PipelineFailure {
        Channels order = Channels.of(preprocessing.channels(), data.channels());
        int channels = order.count();
        PixelScaling scaling = PixelScaling.of(preprocessing);
        String misfit = scaling.misfit(channels);
        if (misfit != null) {
            throw new PipelineFailure(FailureReason.INVALID_PREPROCESSING, misfit);
        }
        ImageTransform transform = new ImageTransform(order, preprocessing.resize(), preprocessing.centerCrop(),
                Resampling.of(preprocessing.interpolation()));
        ImageLayout declared = ImageLayout.of(preprocessing.layout());
        if (inputShape.size() >= 2 && inputShape.get(0) > 0) {
            throw mismatch("input shape " + inputShape + " fixes the batch size at " + inputShape.get(0)
                    + "; an input that takes any batch size (-1) is needed");
        }
        List<Candidate> candidates = candidates(inputShape, declared);
        Candidate chosen = null;
        long[] size = null;
        for (Candidate candidate : candidates) {
            long[] fed = fedSize(candidate, transform, data);
            if (fed != null && fits(candidate, fed, channels) && (chosen == null || candidate.layout() == declared
                    && chosen.layout() != declared)) {
                chosen = candidate;
                size = fed;
            }
        }
        if (chosen == null) {
            throw mismatch(why(inputShape, candidates, transform, data, channels, preprocessing));
        }
        int rows = (int) size[0];
        int columns = (int) size[1];
        List<Long> shape = new ArrayList<>();
        shape.add(-1L);
        switch (inputShape.size()) {
            case 2 -> shape.add((long) rows * columns * channels);
            case 3 -> shape.addAll(List.of((long) rows, (long) columns));
            default -> shape.addAll(chosen.layout() == ImageLayout.NCHW
                    ? List.of((long) channels, (long) rows, (long) columns)
                    : List.of((long) rows, (long) columns, (long) channels));
        }
        return new ModelInput(shape, chosen.layout(), rows, columns, channels, transform, scaling);
    }

    private static List<Candidate> candidates(List<Long> shape, ImageLayout declared) {
        return switch (shape.size()) {
            case 2 -> List.of(new Candidate(declared, -1, -1, -1, shape.get(1)));
            case 3 -> List.of(new Candidate(ImageLayout.NHWC, shape.get(1), shape.get(2), 1, null));
            case 4 -> List.of(new Candidate(ImageLayout.NHWC, shape.get(1), shape.get(2), shape.get(3), null),
                    new Candidate(ImageLayout.NCHW, shape.get(2), shape.get(3), shape.get(1), null));
            default -> List.of();
        };
    }

    /** The height and width an image is fed at for {@code candidate}, or null when they cannot be known. */
    private static long[] fedSize(Candidate candidate, ImageTransform transform, ImageShape data) {
        if (transform.crop() != null) {
            return new long[] {transform.crop().get(0), transform.crop().get(1)};
        }
        if (transform.resize() != null) {
            return candidate.height() > 0 && candidate.width() > 0
                    ? new long[] {candidate.height(), candidate.width()} : null;
        }
        return data.uniform() ? new long[] {data.height(), data.width()} : null;
    }

    private static boolean fits(Candidate candidate, long[] size, int channels) {
        if (candidate.flat() != null) {
            return candidate.flat() == -1 || candidate.flat() == size[0] * size[1] * channels;
        }
        return (candidate.height() == -1 || candidate.height() == size[0])
                && (candidate.width() == -1 || candidate.width() == size[1])
                && (candidate.channels() == -1 || candidate.channels() == channels);
    }

    /** The most useful of the reasons no candidate fits. */
    private static String why(List<Long> inputShape, List<Candidate> candidates, ImageTransform transform,
            ImageShape data, int channels, Preprocessing preprocessing) {
        if (candidates.isEmpty()) {
            return "input shape " + inputShape + " is no image input: it needs rank 2 (flattened), 3 or 4";
        }
        if (transform.resize() == null && transform.crop() == null && !data.uniform()) {
            return "the images have several sizes, " + data + ", and the input " + inputShape + " takes one: declare"
                    + " preprocessing.resize ('input', or a shorter side with a centre crop)";
        }
        if (transform.resize() != null && transform.crop() == null
                && candidates.stream().noneMatch(c -> c.height() > 0 && c.width() > 0)) {
            return "input " + inputShape + " does not fix its height and width, so resize " + transform.resize()
                    + " needs preprocessing.centerCrop to say the size to feed";
        }
        for (Candidate candidate : candidates) {
            long[] size = fedSize(candidate, transform, data);
            if (size != null && candidate.flat() == null && candidate.channels() != -1
                    && candidate.channels() != channels && fits(candidate, size, (int) candidate.channels())) {
                String images = (data.channels() == 1 ? "grey" : "colour") + " images " + data;
                return preprocessing.channels() == null
                        ? images + " for input " + inputShape + " (" + candidate.channels() + " channel"
                                + (candidate.channels() == 1 ? "" : "s") + "): declare preprocessing.channels ("
                                + (candidate.channels() == 1 ? "'grey'" : "'rgb' or 'bgr'") + ") to convert them"
                        : images + " become " + channels + " channel" + (channels == 1 ? "" : "s") + " ("
                                + preprocessing.channels() + "), but input " + inputShape + " takes "
                                + candidate.channels();
            }
        }
        if (transform.resize() == null && transform.crop() == null) {
            int h = data.height();
            int w = data.width();
            int c = channels;
            long pixels = (long) h * w * c;
            return "input shape " + inputShape + " fits none of the layouts of " + h + "x" + w + "x" + c
                    + " images: [-1, " + pixels + "]" + (c == 1 ? ", [-1, " + h + ", " + w + "]" : "") + ", [-1, "
                    + h + ", " + w + ", " + c + "] (NHWC), [-1, " + c + ", " + h + ", " + w + "] (NCHW); declare"
                    + " preprocessing.resize to feed them at another size";
        }
        return "input shape " + inputShape + " fits no layout of the images " + data + " as preprocessing makes"
                + " them (" + channels + " channels, resize " + transform.resize() + ", centre crop "
                + transform.crop() + ")";
    }

    private static PipelineFailure mismatch(String message) {
        return new PipelineFailure(FailureReason.INPUT_SHAPE_MISMATCH, message);
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

    /**
     * Writes {@code image}'s input values into {@code into} from {@code offset}; an image that does not come out at
     * the input's size is an error naming {@code source}.
     */
    public void write(Image image, float[] into, int offset, String source) throws DatasetException {
        float[] values = transform.apply(image, rows, columns, source);
        int plane = rows * columns;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                // Values come HWC; NCHW puts each channel's plane together.
                int target = layout == ImageLayout.NCHW ? c * plane + p : p * channels + c;
                into[offset + target] = scaling.apply(values[p * channels + c], c);
            }
        }
    }

    /** Images {@code from .. from + n - 1} of {@code split} as input values, row-major. */
    public float[] values(ImageSplit split, int from, int n) throws DatasetException {
        float[] values = new float[n * valuesPerImage()];
        split.read(from, from + n, (index, image) -> write(image, values, (index - from) * valuesPerImage(),
                split.locate(index)));
        return values;
    }

    /**
     * Images {@code indices[from] .. indices[from + n - 1]} of {@code split} as input values, in that order. A split
     * read in order is read once over the span they cover.
     */
    public float[] values(ImageSplit split, int[] indices, int from, int n) throws DatasetException {
        float[] values = new float[n * valuesPerImage()];
        if (split.randomAccess()) {
            for (int i = 0; i < n; i++) {
                int slot = i;
                split.read(indices[from + i], indices[from + i] + 1, (index, image) -> write(image, values,
                        slot * valuesPerImage(), split.locate(index)));
            }
            return values;
        }
        java.util.Map<Integer, java.util.List<Integer>> slots = new java.util.HashMap<>();
        int low = Integer.MAX_VALUE;
        int high = -1;
        for (int i = 0; i < n; i++) {
            slots.computeIfAbsent(indices[from + i], k -> new java.util.ArrayList<>()).add(i);
            low = Math.min(low, indices[from + i]);
            high = Math.max(high, indices[from + i]);
        }
        if (n > 0) {
            split.read(low, high + 1, (index, image) -> {
                for (int slot : slots.getOrDefault(index, java.util.List.of())) {
                    write(image, values, slot * valuesPerImage(), split.locate(index));
                }
            });
        }
        return values;
    }

    /** Images {@code indices[from] .. indices[from + n - 1]} of {@code data} as input values, row-major. */
    public float[] values(LabeledImages data, int[] indices, int from, int n) {
        float[] values = new float[n * valuesPerImage()];
        for (int i = 0; i < n; i++) {
            int image = indices == null ? from + i : indices[from + i];
            try {
                write(data.image(image), values, i * valuesPerImage(), "image " + image);
            } catch (DatasetException e) {
                throw new IllegalArgumentException(e.detail(), e);
            }
        }
        return values;
    }

    /** Images {@code from .. from + n - 1} of {@code data} as input values, row-major. */
    public float[] values(LabeledImages data, int from, int n) {
        return values(data, null, from, n);
    }
}
