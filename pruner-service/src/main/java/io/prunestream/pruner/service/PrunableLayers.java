package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.tensorflow.FilterLayout;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.WeightTensor;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** The kernels every unstructured method prunes, as pruning-core takes them. */
final class PrunableLayers {

    private static final Logger LOG = Logger.getLogger(PrunableLayers.class);

    private PrunableLayers() {
    }

    /** The conv and dense kernels {@code weights}' graph uses, less the configured exclusions. */
    static List<LayerWeights> of(ModelWeights weights, String modelUri, PrunerConfig config) throws PruneFailure {
        List<PrunableKernel> kernels = new ArrayList<>(weights.model().prunableKernels());
        if (config.excludeFirstConv()) {
            kernels.stream().filter(k -> "conv".equals(k.kind())).findFirst().ifPresent(kernels::remove);
        }
        if (config.excludeLastDense()) {
            kernels.stream().filter(k -> "dense".equals(k.kind())).reduce((a, b) -> b).ifPresent(kernels::remove);
        }
        if (kernels.isEmpty()) {
            throw new PruneFailure(FailureReason.NO_PRUNABLE_KERNEL, "the model at " + modelUri + " has no float"
                    + " kernel that a conv or dense op of its graph or of the functions it calls reads (found "
                    + weights.model().prunableKernels().size() + " before exclusions; read: Conv2D,"
                    + " Conv2DBackpropInput, DepthwiseConv2dNative, MatMul, BatchMatMul, Einsum); its ops: "
                    + String.join(", ", weights.model().opsSeen()));
        }
        List<LayerWeights> layers = new ArrayList<>();
        for (PrunableKernel kernel : kernels) {
            try {
                WeightTensor tensor = weights.get(kernel.key());
                long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
                // Filters along the output axis the consuming op reads, which decides per-filter mean recovery.
                FilterLayout filters = kernel.view().filterLayout(shape).orElseGet(() -> {
                    LOG.warnf("kernel %s: its transforms scatter the output channels of %s; mean recovery takes the"
                            + " whole kernel as one filter", kernel.key(), kernel.op());
                    return FilterLayout.WHOLE;
                });
                layers.add(new LayerWeights(kernel.key(), tensor.values(), shape, filters.filters(),
                        filters.stride()));
            } catch (TensorFlowException e) {
                throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
            }
        }
        return layers;
    }
}
