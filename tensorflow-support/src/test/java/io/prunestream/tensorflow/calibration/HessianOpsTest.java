package io.prunestream.tensorflow.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.graph.KernelInputs;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * A MatMul kernel's Hessian and cross product against sums in double precision written here: over 200,000 input rows
 * of values near one (a conv's patches of one batch are that many), float32 sums would be off in the fifth digit.
 */
class HessianOpsTest {

    private static final int ROWS = 200_000;
    private static final int D = 3;

    @BeforeAll
    static void natives() throws Exception {
        TensorFlowRuntime.start();
    }

    @Test
    void theProductsAreSummedInDoublePrecision() {
        Random random = new Random(13);
        float[] x = new float[ROWS * D];
        float[] dense = new float[ROWS * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + (float) random.nextGaussian() * 1e-3f;
            dense[i] = x[i] + (float) random.nextGaussian() * 1e-3f;
        }
        double[] hessian = new double[D * D];
        double[] cross = new double[D * D];
        for (int n = 0; n < ROWS; n++) {
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    hessian[i * D + j] += (double) x[n * D + i] * x[n * D + j];
                    cross[i * D + j] += (double) x[n * D + i] * dense[n * D + j];
                }
            }
        }

        try (Graph graph = new Graph(); Session session = new Session(graph);
                TFloat32 inputs = TFloat32.tensorOf(Shape.of(ROWS, D), DataBuffers.of(x, true, false));
                TFloat32 denseInputs = TFloat32.tensorOf(Shape.of(ROWS, D), DataBuffers.of(dense, true, false))) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.withName("x").placeholder(TFloat32.class);
            tf.withName("kernel").variable(tf.zeros(tf.constant(new long[] {D, 2}), TFloat32.class));
            HessianOps.Products products = new HessianOps(graph).products(new KernelInputs.KernelOp(
                    NodeDef.newBuilder().setName("matmul").setOp("MatMul").build(), "x", "kernel", false),
                    new long[] {D, 2});
            try (Result result = session.runner().feed(input, inputs).feed(products.dense(), denseInputs)
                    .fetch(products.hessian()).fetch(products.cross()).run()) {
                assertThat(doubles((TFloat64) result.get(0))).containsExactly(hessian, within(1e-12 * ROWS));
                assertThat(doubles((TFloat64) result.get(1))).containsExactly(cross, within(1e-12 * ROWS));
            }
        }
    }

    @Test
    void aBatchMatMulWeightOfRankThreeIsAMatrixPerBatchAndNotSolved() {
        try (Graph graph = new Graph()) {
            HessianOps ops = new HessianOps(graph);
            KernelInputs.KernelOp op = new KernelInputs.KernelOp(NodeDef.newBuilder().setName("bmm")
                    .setOp("BatchMatMulV2").build(), "x", "kernel", false);
            assertThat(ops.unsupported(op, new long[] {4, 28, 24})).isEqualTo("BatchMatMulV2 with a weight of rank 3");
            assertThat(ops.unsupported(op, new long[] {28, 24})).isNull();
        }
    }

    private static double[] doubles(TFloat64 tensor) {
        double[] values = new double[(int) tensor.size()];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }
}
