package io.prunestream.tensorflow.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A SavedModel as someone else's exporter writes it (see {@link ForeignModels}), with what a test needs to know of
 * it: how to feed it, its weights by checkpoint key, and which of them are the kernels, in forward order.
 */
public record ForeignModel(Kind kind, Path directory, Map<String, float[]> weights, List<String> kernels) {

    /** The fixtures: each reproduces one kind of model users bring. */
    public enum Kind {
        /** Keras Sequential CNN, {@code model.save(dir)}: legacy Adam slots, one wrapper level more than usual. */
        KERAS_CNN("conv2d_input", List.of(-1L, 28L, 28L, 1L), "dense_1", true, "NHWC", 1.0 / 255),
        /** Keras CNN with batch norm ({@code FusedBatchNormV3}), the newer optimizer layout. */
        KERAS_CNN_BN("input_1", List.of(-1L, 28L, 28L, 1L), "dense", true, "NHWC", 1.0 / 255),
        /** Keras MLP on flattened input {@code [-1, 784]}. */
        KERAS_MLP_FLAT("dense_input", List.of(-1L, 784L), "dense_1", true, "NHWC", 1.0 / 255),
        /** Keras MLP with {@code Flatten} first ({@code [-1, 28, 28]}), trained on raw pixels 0..255. */
        KERAS_MLP_RAW("flatten_input", List.of(-1L, 28L, 28L), "dense_1", true, "NHWC", 1.0),
        /** Another exporter: NCHW input, OIHW conv kernels read through Transpose, [out, in] dense weights. */
        OIHW_EXPORT("input", List.of(-1L, 1L, 28L, 28L), "output_0", false, "NCHW", 1.0 / 255),
        /** DepthwiseConv2dNative, Einsum (EinsumDense) and BatchMatMulV2(adj_y), two extra wrapper levels. */
        OPS_ZOO("input_1", List.of(-1L, 28L, 28L, 1L), "logits", false, "NHWC", 1.0 / 255),
        /**
         * A token MLP as ONNX converters write one: each image row a token, mixed by {@code BatchMatMulV2} of the
         * rank-3 data and a rank-2 weight, then a MatMul classifier.
         */
        TOKEN_MLP("input", List.of(-1L, 28L, 28L), "logits", false, "NHWC", 1.0 / 255),
        /**
         * Not a fixture ({@link #fixtures}): a Keras MLP on {@code [-1, 784]} of {@value ForeignArchitectures#WIDE_DEPTH}
         * hidden layers of {@value ForeignArchitectures#WIDE_WIDTH} units, 1.02 GB of float32 weights, saved without its
         * optimizer ({@code model.save(dir, include_optimizer=False)}): the model bench/large-model.sh prunes and
         * scores under a 512 MB heap.
         */
        KERAS_MLP_WIDE("dense_input", List.of(-1L, 784L), "dense_" + ForeignArchitectures.WIDE_DEPTH, true, "NHWC",
                1.0 / 255);

        private final String inputName;
        private final List<Long> inputShape;
        private final String outputName;
        private final boolean softmax;
        private final String layout;
        private final double scale;

        Kind(String inputName, List<Long> inputShape, String outputName, boolean softmax, String layout,
                double scale) {
            this.inputName = inputName;
            this.inputShape = inputShape;
            this.outputName = outputName;
            this.softmax = softmax;
            this.layout = layout;
            this.scale = scale;
        }

        public String inputName() {
            return inputName;
        }

        /** The serving input's shape, batch first (-1). */
        public List<Long> inputShape() {
            return inputShape;
        }

        public String outputName() {
            return outputName;
        }

        /** Whether the output is probabilities (Keras' softmax) rather than logits. */
        public boolean softmax() {
            return softmax;
        }

        /** The layout its producer declares: NHWC, or NCHW for channels-first input. */
        public String layout() {
            return layout;
        }

        /** What each pixel (0..255) is multiplied by before it is fed: 1/255, or 1 for raw pixels. */
        public double scale() {
            return scale;
        }

        /** How its producer declares its input: the kind's scale, nothing subtracted, its layout. */
        public io.prunestream.events.Preprocessing preprocessing() {
            return new io.prunestream.events.Preprocessing(scale, List.of(0.0), List.of(1.0), layout);
        }

        /** Keras' own models: layer-object checkpoint keys and optimizer slots. */
        public boolean keras() {
            return name().startsWith("KERAS");
        }

        /** The fixtures tests write, each small: every kind but {@link #KERAS_MLP_WIDE}. */
        public static List<Kind> fixtures() {
            return java.util.Arrays.stream(values()).filter(kind -> kind != KERAS_MLP_WIDE).toList();
        }

        /** Fixture folder names in the docs and benchmarks. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public ForeignModel {
        weights = Map.copyOf(weights);
        kernels = List.copyOf(kernels);
    }
}
