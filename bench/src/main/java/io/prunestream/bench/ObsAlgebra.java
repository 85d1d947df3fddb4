package io.prunestream.bench;

import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.calibration.HessianAlgebra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * What layer reconstruction's linear algebra costs on TensorFlow's kernels (HessianAlgebra: Cholesky, triangular
 * solves, in double precision) against a well-kept Java library (EJML) doing the same: the upper Cholesky factor of
 * a damped Hessian's inverse, at the sizes a ResNet-20 (3x3x16 .. 3x3x64 inputs), the small CNN's first dense layer
 * and its second conv have. Median of {@code runs} after 2 warm-ups, interleaved.
 *
 * <p>Arguments: runs, output JSON, output markdown.
 */
public final class ObsAlgebra {

    private ObsAlgebra() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        TensorFlowRuntime.start();
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder md = new StringBuilder("| inputs d | TensorFlow ms (median) | EJML ms (median) | EJML / TF |\n"
                + "|---|---|---|---|\n");
        for (int d : new int[] {144, 288, 576, 800, 1600, 3136}) {
            double[] h = hessian(d, new Random(d));
            Map<String, Double> times = BenchIo.interleavedMedianMillis(runs, 2, Map.of(
                    "tensorflow", () -> time(() -> HessianAlgebra.upperFactorOfInverse(h.clone(), d)),
                    "ejml", () -> time(() -> ejml(h, d))));
            double tf = times.get("tensorflow");
            double ejml = times.get("ejml");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("d", d);
            row.put("tensorflowMs", tf);
            row.put("ejmlMs", ejml);
            rows.add(row);
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.1fx |%n", d, tf, ejml, ejml / tf));
        }
        BenchIo.writeJson(Path.of(args[1]), Map.of("what", "upper Cholesky factor of a damped d x d Hessian's"
                + " inverse, double precision", "runs", runs, "rows", rows));
        Files.writeString(Path.of(args[2]), md.toString());
        System.out.print(md);
    }

    @FunctionalInterface
    private interface Work {
        Object run() throws Exception;
    }

    private static long time(Work work) {
        long started = System.nanoTime();
        try {
            work.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - started;
    }

    /** The same as HessianAlgebra.upperFactorOfInverse, with EJML: L = chol(H), H^-1, U = chol(H^-1)^T. */
    private static double[] ejml(double[] h, int d) {
        DMatrixRMaj matrix = new DMatrixRMaj(d, d, true, h);
        CholeskyDecomposition_F64<DMatrixRMaj> first = DecompositionFactory_DDRM.chol(d, true);
        if (!first.decompose(matrix.copy())) {
            throw new IllegalStateException("not positive definite");
        }
        DMatrixRMaj inverse = new DMatrixRMaj(d, d);
        CommonOps_DDRM.invertSPD(matrix.copy(), inverse);
        CholeskyDecomposition_F64<DMatrixRMaj> second = DecompositionFactory_DDRM.chol(d, false);
        if (!second.decompose(inverse)) {
            throw new IllegalStateException("inverse not positive definite");
        }
        return second.getT(null).getData();
    }

    /** X^T X of random correlated rows, damped as reconstruction damps it. */
    private static double[] hessian(int d, Random random) {
        int samples = 2 * d;
        double[] x = new double[samples * d];
        for (int n = 0; n < samples; n++) {
            double shared = random.nextGaussian();
            for (int c = 0; c < d; c++) {
                x[n * d + c] = shared + random.nextGaussian();
            }
        }
        DMatrixRMaj xm = new DMatrixRMaj(samples, d, true, x);
        DMatrixRMaj h = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(xm, xm, h);
        double[] values = h.getData();
        HessianAlgebra.damp(values, d);
        return values;
    }
}
