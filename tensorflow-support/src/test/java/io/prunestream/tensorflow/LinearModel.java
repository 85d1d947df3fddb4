package io.prunestream.tensorflow;

import java.nio.file.Path;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A real SavedModel small enough to check by hand: {@code logits = image · kernel + bias} (4 inputs, 3 classes),
 * plus an int64 counter so that non-float variables are part of every round trip.
 */
record LinearModel(float[] kernel, float[] bias) {

    static final int INPUTS = 4;
    static final int CLASSES = 3;
    static final String KERNEL = "dense/kernel";
    static final String BIAS = "dense/bias";
    static final String STEP = "global_step";
    static final long STEP_VALUE = 42;

    static LinearModel random(long seed) {
        Random random = new Random(seed);
        float[] kernel = new float[INPUTS * CLASSES];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) random.nextGaussian();
        }
        // Values whose bits a careless copy would change.
        kernel[0] = -0.0f;
        kernel[1] = Float.MIN_VALUE;
        kernel[2] = 1e-39f;
        return new LinearModel(kernel, new float[] {0.5f, -0.25f, 0.125f});
    }

    Path export(Path dir) throws Exception {
        TensorFlowRuntime.start();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> image = tf.withName("image")
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, INPUTS)));
            Ops dense = tf.withSubScope("dense");
            Variable<TFloat32> w = dense.withName("kernel")
                    .variable(tf.constant(Shape.of(INPUTS, CLASSES), DataBuffers.of(kernel)));
            Variable<TFloat32> b = dense.withName("bias").variable(tf.constant(bias));
            tf.withName(STEP).variable(tf.constant(STEP_VALUE));
            var logits = tf.withName("logits").math.add(tf.linalg.matMul(image, w), b);
            var probabilities = tf.withName("probabilities").nn.softmax(logits);
            session.initialize();
            SavedModelBundle.exporter(dir.toString()).withSession(session)
                    .withSignature(Signature.builder().key("serving_default").input("image", image)
                            .output("logits", logits).output("probabilities", probabilities).build())
                    .export();
        }
        return dir;
    }

    /** The logits this model gives for row-major inputs of shape [n, 4], computed in plain Java. */
    float[] logits(float[] inputs) {
        int n = inputs.length / INPUTS;
        float[] out = new float[n * CLASSES];
        for (int row = 0; row < n; row++) {
            for (int c = 0; c < CLASSES; c++) {
                float sum = bias[c];
                for (int i = 0; i < INPUTS; i++) {
                    sum += inputs[row * INPUTS + i] * kernel[i * CLASSES + c];
                }
                out[row * CLASSES + c] = sum;
            }
        }
        return out;
    }
}
