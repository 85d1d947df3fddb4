package io.prunestream.tensorflow.calibration;

import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.graph.BatchNormAfter;
import io.prunestream.tensorflow.graph.KernelFinder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.proto.GraphDef;

/**
 * What the batch norm after each kernel multiplies its output channels by, {@code gamma / sqrt(variance + epsilon)}
 * ({@link BatchNormAfter}): the factor between a channel's error before the batch norm and what the next layer sees.
 */
public final class OutputScales {

    private OutputScales() {
    }

    /** By kernel key, for the kernels of {@code model} a batch norm follows, read as stored (last axis the output). */
    public static Map<String, double[]> of(Path model, String signatureKey) throws TensorFlowException {
        ModelWeights weights = SavedModelReader.read(SavedModelInspector.inspect(model));
        Map<String, double[]> scales = new LinkedHashMap<>();
        GraphDef graph = InlinedModel.inlined(model, signatureKey);
        Map<String, String> dtypes = weights.model().checkpointDtypes();
        Map<String, BatchNormAfter.Norm> norms = BatchNormAfter.of(graph, dtypes);
        for (PrunableKernel kernel : KernelFinder.find(graph, dtypes).kernels()) {
            long[] shape = ReconstructionPlan.shape(weights, kernel.key());
            double[] scale = of(norms.get(kernel.op()), weights, shape[shape.length - 1]);
            if (scale != null) {
                scales.put(kernel.key(), scale);
            }
        }
        return scales;
    }

    /** {@code norm}'s scale per channel, or null when there is no norm or it has other than {@code channels}. */
    static double[] of(BatchNormAfter.Norm norm, ModelWeights weights, long channels) {
        if (norm == null) {
            return null;
        }
        try {
            float[] variance = weights.get(norm.varianceKey()).values();
            float[] gamma = norm.gammaKey() == null ? null : weights.get(norm.gammaKey()).values();
            if (variance.length != channels || gamma != null && gamma.length != channels) {
                return null;
            }
            double[] scale = new double[variance.length];
            for (int c = 0; c < scale.length; c++) {
                scale[c] = (gamma == null ? 1 : gamma[c]) / Math.sqrt(Math.max(0, variance[c]) + norm.epsilon());
            }
            return scale;
        } catch (TensorFlowException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
