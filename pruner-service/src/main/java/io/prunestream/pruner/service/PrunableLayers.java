package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.LayerSource;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.tensorflow.FilterLayout;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.WeightTensor;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The kernels every unstructured method prunes, as pruning-core takes them: each read when asked, from memory or, for
 * a model whose weights were left on disk, from its checkpoint.
 */
final class PrunableLayers implements LayerSource {

    private static final Logger LOG = Logger.getLogger(PrunableLayers.class);

    /** One kernel without its values. */
    private record Kernel(String key, long[] shape, FilterLayout filters) {
    }

    private final ModelWeights weights;
    private final List<Kernel> kernels;

    private PrunableLayers(ModelWeights weights, List<Kernel> kernels) {
        this.weights = weights;
        this.kernels = kernels;
    }

    /** The conv and dense kernels {@code weights}' graph uses, less the configured exclusions. */
    static PrunableLayers of(ModelWeights weights, String modelUri, PrunerConfig config) throws PruneFailure {
        List<PrunableKernel> found = new ArrayList<>(weights.model().prunableKernels());
        if (config.excludeFirstConv()) {
            found.stream().filter(k -> "conv".equals(k.kind())).findFirst().ifPresent(found::remove);
        }
        if (config.excludeLastDense()) {
            found.stream().filter(k -> "dense".equals(k.kind())).reduce((a, b) -> b).ifPresent(found::remove);
        }
        if (found.isEmpty()) {
            throw new PruneFailure(FailureReason.NO_PRUNABLE_KERNEL, "the model at " + modelUri + " has no float"
                    + " kernel that a conv or dense op of its graph or of the functions it calls reads (found "
                    + weights.model().prunableKernels().size() + " before exclusions; read: Conv2D,"
                    + " Conv2DBackpropInput, DepthwiseConv2dNative, MatMul, BatchMatMul, Einsum); its ops: "
                    + String.join(", ", weights.model().opsSeen()));
        }
        List<Kernel> kernels = new ArrayList<>();
        for (PrunableKernel kernel : found) {
            try {
                WeightTensor tensor = weights.get(kernel.key());
                long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
                // Filters along the output axis the consuming op reads, which decides per-filter mean recovery.
                FilterLayout filters = kernel.view().filterLayout(shape).orElseGet(() -> {
                    LOG.warnf("kernel %s: its transforms scatter the output channels of %s; mean recovery takes the"
                            + " whole kernel as one filter", kernel.key(), kernel.op());
                    return FilterLayout.WHOLE;
                });
                kernels.add(new Kernel(kernel.key(), shape, filters));
            } catch (TensorFlowException e) {
                throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
            }
        }
        return new PrunableLayers(weights, kernels);
    }

    /** Every kernel with its values; for a model held in memory, whose arrays are shared, not copied. */
    List<LayerWeights> all() {
        List<LayerWeights> layers = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            layers.add(read(k));
        }
        return layers;
    }

    /** Kernel {@code index}'s checkpoint key. */
    String key(int index) {
        return kernels.get(index).key();
    }

    @Override
    public int count() {
        return kernels.size();
    }

    @Override
    public long size(int index) {
        long size = 1;
        for (long dim : kernels.get(index).shape()) {
            size *= dim;
        }
        return size;
    }

    @Override
    public LayerWeights read(int index) {
        Kernel kernel = kernels.get(index);
        try {
            return new LayerWeights(kernel.key(), weights.get(kernel.key()).values(), kernel.shape(),
                    kernel.filters().filters(), kernel.filters().stride());
        } catch (TensorFlowException e) {
            // Every key was found when the kernels were listed.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
