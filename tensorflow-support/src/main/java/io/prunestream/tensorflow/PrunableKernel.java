package io.prunestream.tensorflow;

/**
 * A checkpoint variable that a conv or dense op consumes as its weights: {@code kind} is {@code conv} (Conv2D,
 * DepthwiseConv2dNative, Conv2DBackpropInput filters) or {@code dense} (MatMul, BatchMatMul, Einsum weights);
 * {@code op} is the consuming op ({@code function/node} inside a library function) and {@code opType} its type;
 * {@code view} says how the op reads the variable, and so which values feed which output filter.
 */
public record PrunableKernel(String key, String kind, String op, String opType, KernelView view) {

    /** A kernel read as stored by a Conv2D ({@code conv}) or MatMul ({@code dense}), output channels last. */
    public PrunableKernel(String key, String kind, String op) {
        this(key, kind, op, "conv".equals(kind) ? "Conv2D" : "MatMul", KernelView.lastAxis());
    }

    /** Which output filter each value of this kernel feeds, for a variable of this shape. */
    public FilterLayout filterLayout(long[] shape) {
        return view.filterLayout(shape).orElse(FilterLayout.WHOLE);
    }
}
