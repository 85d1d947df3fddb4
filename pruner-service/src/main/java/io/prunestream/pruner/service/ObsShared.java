package io.prunestream.pruner.service;

import io.prunestream.pruning.reconstruction.ErrorCurve;
import io.prunestream.tensorflow.calibration.LayerReconstruction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one checkpoint's {@code obs} variants share: each reconstruction by scope and sparsity (the variant with batch
 * norm re-estimated and the one without are one reconstruction), and the kernels' error curves, measured once when
 * the {@code curves} allocation first needs them.
 */
final class ObsShared {

    final Map<String, LayerReconstruction.Result> reconstructions = new HashMap<>();
    List<ErrorCurve> curves;
}
