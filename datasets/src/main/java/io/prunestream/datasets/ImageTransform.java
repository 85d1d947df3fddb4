package io.prunestream.datasets;

import io.prunestream.events.Resize;
import java.util.List;

/**
 * What happens to an image before its pixels are scaled: its channels converted ({@code order}), resized
 * ({@code resize}, with {@code resampling}), its centre cut out ({@code crop}, [height, width]). {@link #NONE}
 * changes nothing but grey-or-colour as the images are.
 */
public record ImageTransform(Channels order, Resize resize, List<Integer> crop, Resampling resampling) {

    public ImageTransform {
        crop = crop == null ? null : List.copyOf(crop);
    }

    /** Whether the image's size changes. */
    public boolean resizes() {
        return resize != null || crop != null;
    }

    /**
     * {@code image} transformed to {@code height × width}: HWC values 0..255, not rounded. An image whose size does not
     * come out at {@code height × width}, or is smaller than the crop, is an error naming {@code source}.
     */
    public float[] apply(Image image, int height, int width, String source) throws DatasetException {
        Image converted = order.convert(image);
        if (!resizes()) {
            if (converted.height() != height || converted.width() != width) {
                throw new DatasetException(source + " is " + converted.height() + "x" + converted.width()
                        + " but the model takes " + height + "x" + width + " and no preprocessing.resize is declared");
            }
            return Resampling.floats(converted);
        }
        int h = converted.height();
        int w = converted.width();
        float[] values;
        if (resize == null) {
            values = Resampling.floats(converted);
        } else {
            if (resize.toInput()) {
                h = height;
                w = width;
            } else if (h <= w) {
                w = (int) ((long) resize.shorterSide() * w / h);
                h = resize.shorterSide();
            } else {
                h = (int) ((long) resize.shorterSide() * h / w);
                w = resize.shorterSide();
            }
            values = resampling.resize(converted, h, w);
        }
        int cropHeight = crop != null ? crop.get(0) : resize != null && !resize.toInput() ? height : h;
        int cropWidth = crop != null ? crop.get(1) : resize != null && !resize.toInput() ? width : w;
        if (cropHeight > h || cropWidth > w) {
            throw new DatasetException(source + " is " + h + "x" + w + (resize != null ? " after resize " + resize
                    : "") + ", smaller than the centre crop " + cropHeight + "x" + cropWidth);
        }
        if (cropHeight != height || cropWidth != width) {
            throw new DatasetException(source + " comes out " + cropHeight + "x" + cropWidth + " but the model takes "
                    + height + "x" + width);
        }
        return cropHeight == h && cropWidth == w ? values : crop(values, h, w, converted.channels(), cropHeight,
                cropWidth);
    }

    /** The centre, placed as torchvision's {@code CenterCrop} places it (offsets rounded to the nearest pixel). */
    private static float[] crop(float[] values, int h, int w, int channels, int height, int width) {
        int top = (int) Math.round((h - height) / 2.0);
        int left = (int) Math.round((w - width) / 2.0);
        float[] out = new float[height * width * channels];
        for (int y = 0; y < height; y++) {
            System.arraycopy(values, ((top + y) * w + left) * channels, out, y * width * channels, width * channels);
        }
        return out;
    }
}
