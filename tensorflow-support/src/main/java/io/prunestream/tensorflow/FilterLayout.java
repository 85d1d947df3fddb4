package io.prunestream.tensorflow;

/**
 * Which output filter each value of a kernel feeds: value {@code i} (row-major) feeds filter
 * {@code (i / stride) % filters}. Conv2D's HWIO filters and MatMul's {@code [in, out]} weights have stride 1; weights
 * stored {@code [out, in]} and read transposed have stride {@code in}.
 */
public record FilterLayout(int filters, long stride) {

    public FilterLayout {
        if (filters < 1 || stride < 1) {
            throw new IllegalArgumentException(filters + " filters of stride " + stride + ": both must be positive");
        }
    }

    /** The whole kernel as one filter: where a layout cannot be followed, mean recovery works per layer. */
    public static final FilterLayout WHOLE = new FilterLayout(1, 1);
}
