package io.prunestream.tensorflow.calibration;

import io.prunestream.tensorflow.TensorFlowException;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.TriangularSolve;
import org.tensorflow.types.TFloat64;

/**
 * The linear algebra of layer reconstruction, on TensorFlow's kernels in double precision: the damped Hessian's
 * inverse, as the upper Cholesky factor SparseGPT sweeps with and as the diagonal OBS ranks by, and batches of
 * same-sized systems for exact per-row OBS. (Chosen over a Java library by a measured comparison,
 * {@code bench/obs-algebra.sh}; and a GPU would serve these ops.)
 */
public final class HessianAlgebra {

    /** SparseGPT's damping: a share of the mean diagonal added to it. */
    public static final double DAMPING = 0.01;

    private HessianAlgebra() {
    }

    /**
     * {@code h} (d x d, row-major) made invertible as SparseGPT does: an input that never fires (zero diagonal) gets
     * a diagonal of 1, then {@link #DAMPING} times the mean diagonal is added to every diagonal entry. Returns which
     * columns were dead, whose weights do not matter.
     */
    public static boolean[] damp(double[] h, int d) {
        return damp(h, d, DAMPING);
    }

    /** As {@link #damp(double[], int)}, with {@code share} of the mean diagonal in place of {@link #DAMPING}. */
    public static boolean[] damp(double[] h, int d, double share) {
        boolean[] dead = new boolean[d];
        double mean = 0;
        for (int i = 0; i < d; i++) {
            if (h[i * d + i] == 0) {
                dead[i] = true;
                h[i * d + i] = 1;
            }
            mean += h[i * d + i];
        }
        mean /= d;
        for (int i = 0; i < d; i++) {
            h[i * d + i] += share * mean;
        }
        return dead;
    }

    /** The upper Cholesky factor {@code U} of {@code h}'s inverse ({@code h^-1 = U^T U}), row-major. */
    public static double[] upperFactorOfInverse(double[] h, int d) throws TensorFlowException {
        return run(h, d, (tf, x) -> {
            Operand<TFloat64> inverse = inverse(tf, x, d);
            return tf.linalg.transpose(tf.linalg.cholesky(inverse), tf.constant(new int[] {1, 0}));
        });
    }

    /** {@code h}'s inverse, d x d, row-major. */
    public static double[] inverse(double[] h, int d) throws TensorFlowException {
        return run(h, d, (tf, x) -> inverse(tf, x, d));
    }

    /** The diagonal of {@code h}'s inverse. */
    public static double[] inverseDiagonal(double[] h, int d) throws TensorFlowException {
        return run(h, d, (tf, x) -> tf.linalg.matrixDiagPart(inverse(tf, x, d), tf.constant(0),
                tf.constant(0.0)));
    }

    /** The identity, d x d. */
    private static Operand<TFloat64> identity(Ops tf, int d) {
        double[] eye = new double[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1;
        }
        return tf.constant(Shape.of(d, d), DataBuffers.of(eye, true, false));
    }

    /** The solutions of {@code count} systems {@code a_i u_i = b_i} (each a: d x d, b: d), row-major. */
    public static double[] solve(double[] a, double[] b, int count, int d) throws TensorFlowException {
        try (Graph graph = new Graph(); Session session = new Session(graph);
                TFloat64 matrices = TFloat64.tensorOf(Shape.of(count, d, d), DataBuffers.of(a, true, false));
                TFloat64 rights = TFloat64.tensorOf(Shape.of(count, d, 1), DataBuffers.of(b, true, false))) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat64> pa = tf.placeholder(TFloat64.class);
            Placeholder<TFloat64> pb = tf.placeholder(TFloat64.class);
            // MatrixSolve takes batches; TensorFlow Java names no wrapper for it.
            @SuppressWarnings("unchecked")
            Operand<TFloat64> solution = (Operand<TFloat64>) (Operand<?>) graph.opBuilder("MatrixSolve", "solve",
                    tf.scope()).addInput(pa.asOutput()).addInput(pb.asOutput()).build().output(0);
            try (Result result = session.runner().feed(pa, matrices).feed(pb, rights).fetch(solution).run()) {
                return doubles((TFloat64) result.get(0));
            }
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot solve " + count + " systems of " + d + " unknowns: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The weights (rows x d, row-major) that best reproduce, from the inputs whose Hessian is {@code h}, the outputs
     * {@code w} gives on the inputs whose cross product with them is {@code cross} ({@code X^T D}, d x d): the
     * least-squares solution {@code h^-1 cross w^T}, transposed back, through {@code h}'s Cholesky factor.
     */
    public static double[] leastSquares(double[] h, double[] cross, double[] w, int rows, int d)
            throws TensorFlowException {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat64> right = tf.linalg.matMul(matrix(tf, cross, d, d), matrix(tf, w, rows, d),
                    org.tensorflow.op.linalg.MatMul.transposeB(true));
            Operand<TFloat64> lower = tf.linalg.cholesky(matrix(tf, h, d, d));
            Operand<TFloat64> half = tf.linalg.triangularSolve(lower, right, TriangularSolve.lower(true));
            Operand<TFloat64> solution = tf.linalg.triangularSolve(lower, half, TriangularSolve.lower(true),
                    TriangularSolve.adjoint(true));
            try (Result result = session.runner().fetch(tf.linalg.transpose(solution, tf.constant(new int[] {1, 0})))
                    .run()) {
                return doubles((TFloat64) result.get(0));
            }
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot solve for " + rows + " rows of " + d + " weights: " + e.getMessage(),
                    e);
        }
    }

    private static Operand<TFloat64> matrix(Ops tf, double[] values, int rows, int cols) {
        return tf.constant(Shape.of(rows, cols), DataBuffers.of(values, true, false));
    }

    /** {@code x}'s inverse through its Cholesky factor: {@code L^-T L^-1}. */
    private static Operand<TFloat64> inverse(Ops tf, Operand<TFloat64> x, int d) {
        Operand<TFloat64> lower = tf.linalg.cholesky(x);
        Operand<TFloat64> lowerInverse = tf.linalg.triangularSolve(lower, identity(tf, d),
                TriangularSolve.lower(true));
        return tf.linalg.matMul(lowerInverse, lowerInverse, org.tensorflow.op.linalg.MatMul.transposeA(true));
    }

    /** One op built on a d x d input. */
    @FunctionalInterface
    private interface Build {
        Operand<TFloat64> apply(Ops tf, Operand<TFloat64> x);
    }

    private static double[] run(double[] h, int d, Build build) throws TensorFlowException {
        try (Graph graph = new Graph(); Session session = new Session(graph);
                TFloat64 input = TFloat64.tensorOf(Shape.of(d, d), DataBuffers.of(h, true, false))) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat64> x = tf.placeholder(TFloat64.class);
            Operand<TFloat64> out = build.apply(tf, x);
            try (Result result = session.runner().feed(x, input).fetch(out).run()) {
                return doubles((TFloat64) result.get(0));
            }
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot factor a " + d + " x " + d + " Hessian: " + e.getMessage(), e);
        }
    }

    private static double[] doubles(TFloat64 tensor) {
        double[] values = new double[Math.toIntExact(tensor.size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }
}
