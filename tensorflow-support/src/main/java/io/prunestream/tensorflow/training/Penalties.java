package io.prunestream.tensorflow.training;

import io.prunestream.tensorflow.model.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The prunability penalty as a graph operand (before its weight lambda), built from a {@link MethodSpec}. */
final class Penalties {

    /** Kernels larger than this get their quantile estimated from a fixed sample of this many weights. */
    static final int QUANTILE_SAMPLE = 16_384;

    private Penalties() {
    }

    /** Distinct indices into a kernel, the same for every run (seeded by the kernel's size). */
    private static int[] sampleIndices(long size) {
        java.util.Random random = new java.util.Random(size);
        return random.ints(0, Math.toIntExact(size)).distinct().limit(QUANTILE_SAMPLE).sorted().toArray();
    }

    static Operand<TFloat32> build(Ops tf, List<Kernel> kernels, MethodSpec method) {
        if (kernels.isEmpty()) {
            throw new IllegalArgumentException("the network has no prunable kernel to penalise");
        }
        long total = kernels.stream().mapToLong(Kernel::size).sum();
        List<Operand<TFloat32>> terms = new ArrayList<>();
        for (Kernel kernel : kernels) {
            Operand<TFloat32> magnitude = tf.math.abs(tf.reshape(kernel.variable(), tf.constant(new long[] {-1})));
            Operand<TFloat32> term = "quantile".equals(method.penalty())
                    ? quantileSplit(tf, magnitude, kernel.size(), method)
                    : tf.math.mean(magnitude, tf.constant(0));
            if ("weight".equals(method.normalization())) {
                // From this kernel's mean to its share of the mean over all weights, times the number of kernels:
                // every weight gets the same pull, and the sum stays on the scale of the layer normalisation.
                term = tf.math.mul(term, tf.constant((float) kernel.size() * kernels.size() / total));
            }
            terms.add(term);
        }
        return tf.math.addN(terms);
    }

    /**
     * Pushes the smallest {@code quantileSparsity} of the magnitudes to zero and the rest beyond
     * {@code margin * t}, where t is the quantile itself (taken without gradient).
     */
    private static Operand<TFloat32> quantileSplit(Ops tf, Operand<TFloat32> magnitude, long size, MethodSpec method) {
        Operand<TFloat32> sample = tf.stopGradient(magnitude);
        long sampled = size;
        if (size > QUANTILE_SAMPLE) {
            // A sorted selection over a large kernel every step costs more than the step itself; a fixed sample
            // estimates the quantile to about 1/sqrt(16384) of a rank, which is all the penalty needs.
            sample = tf.gather(sample, tf.constant(sampleIndices(size)), tf.constant(0));
            sampled = QUANTILE_SAMPLE;
        }
        int kept = (int) Math.max(1, sampled - Math.round(method.quantileSparsity() * sampled));
        Operand<TFloat32> largest = tf.nn.topK(sample, tf.constant(kept), TInt32.class).values();
        Operand<TFloat32> t = tf.stopGradient(tf.gather(largest, tf.constant(kept - 1), tf.constant(0)));
        Operand<TFloat32> below = tf.dtypes.cast(tf.math.less(magnitude, t), TFloat32.class);
        Operand<TFloat32> above = tf.math.sub(tf.constant(1f), below);
        Operand<TInt32> axis = tf.constant(0);
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> low = tf.math.div(tf.reduceSum(tf.math.mul(magnitude, below), axis),
                tf.math.maximum(tf.reduceSum(below, axis), one));
        Operand<TFloat32> gap = tf.nn.relu(tf.math.sub(tf.math.mul(t, tf.constant(method.quantileMargin()
                .floatValue())), magnitude));
        Operand<TFloat32> high = tf.math.div(tf.reduceSum(tf.math.mul(gap, above), axis),
                tf.math.maximum(tf.reduceSum(above, axis), one));
        return tf.math.add(low, high);
    }
}
