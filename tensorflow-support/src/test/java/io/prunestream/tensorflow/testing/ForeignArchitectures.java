package io.prunestream.tensorflow.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Reshape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The networks of the foreign fixtures ({@link ForeignModel.Kind}), each written once and built three ways: to train
 * (batch statistics; ops that have C++ gradients), as an independent reference (the same maths with plain ops and
 * frozen statistics), and for export (the ops exporters really write: {@code FusedBatchNormV3},
 * {@code DepthwiseConv2dNative}, {@code Einsum}, {@code BatchMatMulV2}, transposed reads).
 */
final class ForeignArchitectures {

    enum Mode { TRAIN, REFERENCE, EXPORT }

    // The sizes of Keras' and TensorFlow's Fashion-MNIST tutorials: 32 and 64 filters, 128 hidden units.
    /** Two valid 3x3 convs and two 2x2 pools take 28x28 to 5x5, by 64 filters. */
    private static final int CNN_FLAT = 5 * 5 * 64;
    /** One valid 3x3 conv and a 2x2 pool take 28x28 to 13x13, by 32 filters. */
    private static final int OIHW_FLAT = 13 * 13 * 32;
    /** 13x13 positions of 32 mixed channels. */
    private static final int ZOO_FLAT = 13 * 13 * 32;
    /** 28 tokens (image rows) of 24 mixed features. */
    private static final int TOKEN_FEATURES = 24;
    private static final int TOKEN_FLAT = 28 * TOKEN_FEATURES;

    /** {@link ForeignModel.Kind#KERAS_MLP_WIDE}: hidden layers, and units in each. */
    static final int WIDE_DEPTH = 16;
    static final int WIDE_WIDTH = 4096;

    /** A weight: its layer, its name in the layer, its shape, and its initial fan-in (0: ones, -1: zeros). */
    record Weight(String layer, String name, long[] shape, long fanIn) {

        String id() {
            return layer + "/" + name;
        }

        boolean trainable() {
            return !name.startsWith("moving_");
        }
    }

    /** What a forward pass needs: the weights by id, and where batch norm leaves its batch statistics. */
    record Context(Ops tf, Map<String, Operand<TFloat32>> weights, Mode mode,
            Map<String, List<Operand<TFloat32>>> batchStatistics) {

        Operand<TFloat32> w(String id) {
            Operand<TFloat32> weight = weights.get(id);
            if (weight == null) {
                throw new IllegalArgumentException("no weight " + id);
            }
            return weight;
        }
    }

    private ForeignArchitectures() {
    }

    static List<Weight> weights(ForeignModel.Kind kind) {
        List<Weight> w = new ArrayList<>();
        switch (kind) {
            case KERAS_CNN -> {
                dense(w, "conv2d", new long[] {3, 3, 1, 32}, 9, true);
                dense(w, "conv2d_1", new long[] {3, 3, 32, 64}, 288, true);
                dense(w, "dense", new long[] {1600, 128}, 1600, true);
                dense(w, "dense_1", new long[] {128, 10}, 128, true);
            }
            case KERAS_CNN_BN -> {
                dense(w, "conv2d", new long[] {3, 3, 1, 32}, 9, false);
                batchNorm(w, "batch_normalization", 32);
                dense(w, "conv2d_1", new long[] {3, 3, 32, 64}, 288, false);
                batchNorm(w, "batch_normalization_1", 64);
                dense(w, "dense", new long[] {1600, 10}, 1600, true);
            }
            case KERAS_MLP_FLAT, KERAS_MLP_RAW -> {
                // Fed raw pixels (0..255), the first layer starts 255 times smaller, as its weights end up.
                dense(w, "dense", new long[] {784, 128}, kind == ForeignModel.Kind.KERAS_MLP_RAW ? 784L * 255 * 255
                        : 784, true);
                dense(w, "dense_1", new long[] {128, 10}, 128, true);
            }
            case KERAS_MLP_WIDE -> {
                for (int layer = 0; layer <= WIDE_DEPTH; layer++) {
                    long in = layer == 0 ? 784 : WIDE_WIDTH;
                    dense(w, layer == 0 ? "dense" : "dense_" + layer, new long[] {in, layer == WIDE_DEPTH ? 10
                            : WIDE_WIDTH}, in, true);
                }
            }
            case OIHW_EXPORT -> {
                w.add(new Weight("conv1", "weight", new long[] {32, 1, 3, 3}, 9));
                w.add(new Weight("conv1", "bias", new long[] {32}, -1));
                w.add(new Weight("fc1", "weight", new long[] {128, OIHW_FLAT}, OIHW_FLAT));
                w.add(new Weight("fc1", "bias", new long[] {128}, -1));
                w.add(new Weight("fc2", "weight", new long[] {10, 128}, 128));
                w.add(new Weight("fc2", "bias", new long[] {10}, -1));
            }
            case OPS_ZOO -> {
                dense(w, "depthwise_conv2d", new long[] {3, 3, 1, 16}, 9, true);
                dense(w, "einsum_dense", new long[] {16, 32}, 16, true);
                dense(w, "head", new long[] {10, ZOO_FLAT}, ZOO_FLAT, true);
            }
            case TOKEN_MLP -> {
                dense(w, "token_mixer", new long[] {28, TOKEN_FEATURES}, 28, true);
                dense(w, "classifier", new long[] {TOKEN_FLAT, 10}, TOKEN_FLAT, true);
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
        return w;
    }

    private static void dense(List<Weight> w, String layer, long[] kernel, long fanIn, boolean bias) {
        w.add(new Weight(layer, "kernel", kernel, fanIn));
        if (bias) {
            w.add(new Weight(layer, "bias", new long[] {layer.equals("head") ? kernel[0] : kernel[kernel.length - 1]},
                    -1));
        }
    }

    private static void batchNorm(List<Weight> w, String layer, long channels) {
        long[] shape = {channels};
        w.add(new Weight(layer, "gamma", shape, 0));
        w.add(new Weight(layer, "beta", shape, -1));
        w.add(new Weight(layer, "moving_mean", shape, -1));
        w.add(new Weight(layer, "moving_variance", shape, 0));
    }

    /** The logits for {@code x}, fed as the kind's input says (already scaled). */
    static Operand<TFloat32> logits(ForeignModel.Kind kind, Context c, Operand<TFloat32> x) {
        Ops tf = c.tf().withSubScope(kind == ForeignModel.Kind.OIHW_EXPORT ? "model" : "sequential");
        return switch (kind) {
            case KERAS_CNN -> {
                Operand<TFloat32> h = pool(tf, "max_pooling2d", relu(tf, "conv2d", conv(tf, c, "conv2d", x, true)));
                h = pool(tf, "max_pooling2d_1", relu(tf, "conv2d_1", conv(tf, c, "conv2d_1", h, true)));
                h = flatten(tf, h, CNN_FLAT);
                h = relu(tf, "dense", matMul(tf, c, "dense", h));
                yield matMul(tf, c, "dense_1", h);
            }
            case KERAS_CNN_BN -> {
                Operand<TFloat32> h = conv(tf, c, "conv2d", x, false);
                h = pool(tf, "max_pooling2d", relu(tf, "re_lu", batchNorm(tf, c, "batch_normalization", h)));
                h = conv(tf, c, "conv2d_1", h, false);
                h = pool(tf, "max_pooling2d_1", relu(tf, "re_lu_1", batchNorm(tf, c, "batch_normalization_1", h)));
                yield matMul(tf, c, "dense", flatten(tf, h, CNN_FLAT));
            }
            case KERAS_MLP_FLAT -> matMul(tf, c, "dense_1", relu(tf, "dense", matMul(tf, c, "dense", x)));
            case KERAS_MLP_RAW -> matMul(tf, c, "dense_1", relu(tf, "dense", matMul(tf, c, "dense",
                    flatten(tf, x, 784))));
            case KERAS_MLP_WIDE -> {
                Operand<TFloat32> h = x;
                for (int layer = 0; layer < WIDE_DEPTH; layer++) {
                    String name = layer == 0 ? "dense" : "dense_" + layer;
                    h = relu(tf, name, matMul(tf, c, name, h));
                }
                yield matMul(tf, c, "dense_" + WIDE_DEPTH, h);
            }
            case OIHW_EXPORT -> oihw(tf, c, x);
            case OPS_ZOO -> opsZoo(tf, c, x);
            case TOKEN_MLP -> tokenMlp(tf, c, x);
            default -> throw new IllegalArgumentException(kind.name());
        };
    }

    /** NCHW input, OIHW conv weights read through Transpose, [out, in] dense weights read with transpose_b. */
    private static Operand<TFloat32> oihw(Ops tf, Context c, Operand<TFloat32> x) {
        Ops conv = tf.withSubScope("conv1");
        Operand<TFloat32> nhwc = conv.linalg.transpose(x, conv.constant(new int[] {0, 2, 3, 1}));
        Operand<TFloat32> filter = conv.linalg.transpose(c.w("conv1/weight"), conv.constant(new int[] {2, 3, 1, 0}));
        Operand<TFloat32> h = conv.nn.biasAdd(conv.nn.conv2d(nhwc, filter, List.of(1L, 1L, 1L, 1L), "VALID"),
                c.w("conv1/bias"));
        h = pool(tf, "pool1", relu(tf, "conv1", h));
        Ops fc = tf.withSubScope("fc1");
        h = fc.reshape(fc.linalg.transpose(h, fc.constant(new int[] {0, 3, 1, 2})), fc.constant(new int[] {-1,
                OIHW_FLAT}));
        h = relu(tf, "fc1", fc.math.add(fc.linalg.matMul(h, c.w("fc1/weight"),
                org.tensorflow.op.linalg.MatMul.transposeB(true)), c.w("fc1/bias")));
        Ops out = tf.withSubScope("fc2");
        return out.math.add(out.linalg.matMul(h, c.w("fc2/weight"), org.tensorflow.op.linalg.MatMul.transposeB(true)),
                c.w("fc2/bias"));
    }

    /** DepthwiseConv2dNative, Einsum on rank-3 input (EinsumDense), BatchMatMulV2 with adj_y. */
    private static Operand<TFloat32> opsZoo(Ops tf, Context c, Operand<TFloat32> x) {
        boolean export = c.mode() == Mode.EXPORT;
        Ops dw = tf.withSubScope("depthwise_conv2d");
        Operand<TFloat32> kernel = c.w("depthwise_conv2d/kernel");
        Operand<TFloat32> h = export
                ? dw.nn.depthwiseConv2dNative(x, kernel, List.of(1L, 1L, 1L, 1L), "VALID")
                // With one input channel, a depthwise kernel [3, 3, 1, m] is an ordinary conv's.
                : dw.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "VALID");
        h = pool(tf, "max_pooling2d", relu(tf, "depthwise_conv2d", dw.nn.biasAdd(h, c.w("depthwise_conv2d/bias"))));
        Ops ed = tf.withSubScope("einsum_dense");
        Operand<TFloat32> tokens = ed.reshape(h, ed.constant(new int[] {-1, 169, 16}));
        Operand<TFloat32> mixed = export
                ? ed.linalg.einsum(List.of(tokens, c.w("einsum_dense/kernel")), "abc,cd->abd")
                : ed.reshape(ed.linalg.matMul(ed.reshape(tokens, ed.constant(new int[] {-1, 16})),
                        c.w("einsum_dense/kernel")), ed.constant(new int[] {-1, 169, 32}));
        h = relu(tf, "einsum_dense", ed.math.add(mixed, c.w("einsum_dense/bias")));
        Ops head = tf.withSubScope("head");
        Operand<TFloat32> flat = head.reshape(h, head.constant(new int[] {-1, ZOO_FLAT}));
        Operand<TFloat32> out = export ? batchMatMulV2(head, flat, c.w("head/kernel"), true)
                : head.linalg.matMul(flat, c.w("head/kernel"), org.tensorflow.op.linalg.MatMul.transposeB(true));
        return head.math.add(out, c.w("head/bias"));
    }

    /** Image rows as tokens, BatchMatMulV2 of [n, 28, 28] by a [28, 24] weight, bias, ReLU, a MatMul on them all. */
    private static Operand<TFloat32> tokenMlp(Ops tf, Context c, Operand<TFloat32> x) {
        Ops mixer = tf.withSubScope("token_mixer");
        Operand<TFloat32> mixed = c.mode() == Mode.EXPORT
                ? batchMatMulV2(mixer, x, c.w("token_mixer/kernel"), false)
                : mixer.reshape(mixer.linalg.matMul(mixer.reshape(x, mixer.constant(new int[] {-1, 28})),
                        c.w("token_mixer/kernel")), mixer.constant(new int[] {-1, 28, TOKEN_FEATURES}));
        Operand<TFloat32> h = relu(tf, "token_mixer", mixer.math.add(mixed, c.w("token_mixer/bias")));
        return matMul(tf, c, "classifier", flatten(tf, h, TOKEN_FLAT));
    }

    private static Operand<TFloat32> batchMatMulV2(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y,
            boolean adjointY) {
        // TensorFlow Java's own BatchMatMul class is the V3 op; Keras graphs hold V2.
        return floats(tf.scope().env().opBuilder("BatchMatMulV2", tf.scope().makeOpName("BatchMatMulV2"),
                tf.scope()).addInput(x.asOutput()).addInput(y.asOutput()).setAttr("T", DataType.DT_FLOAT)
                .setAttr("adj_y", adjointY).build().output(0));
    }

    /** A raw op's output, known to be float. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Output<TFloat32> floats(Output<?> output) {
        return (Output) output;
    }

    private static Operand<TFloat32> conv(Ops tf, Context c, String layer, Operand<TFloat32> x, boolean bias) {
        Ops s = tf.withSubScope(layer);
        Operand<TFloat32> h = s.nn.conv2d(x, c.w(layer + "/kernel"), List.of(1L, 1L, 1L, 1L), "VALID");
        return bias ? s.nn.biasAdd(h, c.w(layer + "/bias")) : h;
    }

    private static Operand<TFloat32> matMul(Ops tf, Context c, String layer, Operand<TFloat32> x) {
        Ops s = tf.withSubScope(layer);
        return s.nn.biasAdd(s.linalg.matMul(x, c.w(layer + "/kernel")), c.w(layer + "/bias"));
    }

    private static Operand<TFloat32> relu(Ops tf, String layer, Operand<TFloat32> x) {
        return tf.withSubScope(layer).nn.relu(x);
    }

    private static Operand<TFloat32> pool(Ops tf, String layer, Operand<TFloat32> x) {
        return tf.withSubScope(layer).nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}),
                tf.constant(new int[] {1, 2, 2, 1}), "VALID");
    }

    private static Reshape<TFloat32> flatten(Ops tf, Operand<TFloat32> x, int size) {
        Ops s = tf.withSubScope("flatten");
        return s.reshape(x, s.constant(new int[] {-1, size}));
    }

    /** Keras' BatchNormalization: batch statistics while training, the moving ones after. */
    private static Operand<TFloat32> batchNorm(Ops tf, Context c, String layer, Operand<TFloat32> x) {
        Ops s = tf.withSubScope(layer);
        Operand<TFloat32> gamma = c.w(layer + "/gamma");
        Operand<TFloat32> beta = c.w(layer + "/beta");
        float epsilon = 1e-3f;
        if (c.mode() == Mode.EXPORT) {
            return s.nn.fusedBatchNorm(x, gamma, beta, c.w(layer + "/moving_mean"), c.w(layer + "/moving_variance"),
                    org.tensorflow.op.nn.FusedBatchNorm.epsilon(epsilon),
                    org.tensorflow.op.nn.FusedBatchNorm.isTraining(false)).y();
        }
        Operand<TFloat32> mean;
        Operand<TFloat32> variance;
        if (c.mode() == Mode.TRAIN) {
            Operand<TInt32> axes = s.constant(new int[] {0, 1, 2});
            mean = s.math.mean(x, axes);
            variance = s.math.mean(s.math.square(s.math.sub(x, mean)), axes);
            c.batchStatistics().put(layer, List.of(mean, variance));
        } else {
            mean = c.w(layer + "/moving_mean");
            variance = c.w(layer + "/moving_variance");
        }
        Operand<TFloat32> scale = s.math.mul(gamma, s.math.rsqrt(s.math.add(variance, s.constant(epsilon))));
        return s.math.add(s.math.mul(s.math.sub(x, mean), scale), beta);
    }
}
