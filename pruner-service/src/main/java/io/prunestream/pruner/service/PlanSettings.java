package io.prunestream.pruner.service;

import io.prunestream.events.BottleneckRequest;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.tensorflow.calibration.ReconstructionOptions;
import java.util.HashSet;
import java.util.List;

/** The settings {@link PruningPlan} takes from configuration besides its lists, each checked and refused by key. */
final class PlanSettings {

    private PlanSettings() {
    }

    /** The calibration settings as the plan's steps take them: 0 for {@code none}, the images for {@code bn}. */
    static List<Integer> calibrationImages(PrunerConfig.Calibration calibration) {
        List<String> modes = calibration.modes();
        if (modes.isEmpty() || new HashSet<>(modes).size() != modes.size()
                || modes.stream().anyMatch(m -> !m.equals("none") && !m.equals("bn"))) {
            throw new IllegalArgumentException("pruner.calibration.modes: " + modes + " must name none, bn or both,"
                    + " each once");
        }
        if (calibration.images() < 2 || calibration.images() > 1_000_000) {
            throw new IllegalArgumentException("pruner.calibration.images: " + calibration.images()
                    + " is outside 2..1000000");
        }
        return modes.stream().map(m -> m.equals("bn") ? calibration.images() : 0).toList();
    }

    /** How {@code obs} spreads a sparsity over the kernels: {@code layer}, {@code global}, or both. */
    static List<String> reconstructionScopes(PrunerConfig.Reconstruction reconstruction) {
        if (reconstruction.images() < 2 || reconstruction.images() > 1_000_000) {
            throw new IllegalArgumentException("pruner.reconstruction.images: " + reconstruction.images()
                    + " is outside 2..1000000");
        }
        if (reconstruction.maxInputs() < 1) {
            throw new IllegalArgumentException("pruner.reconstruction.max-inputs: " + reconstruction.maxInputs()
                    + " is not a positive count");
        }
        List<String> scopes = reconstruction.scopes();
        if (scopes.isEmpty() || new HashSet<>(scopes).size() != scopes.size()
                || scopes.stream().anyMatch(s -> !s.equals("layer") && !s.equals("global"))) {
            throw new IllegalArgumentException("pruner.reconstruction.scopes: " + scopes + " must name layer, global"
                    + " or both, each once");
        }
        reconstructionOptions(reconstruction);
        return List.copyOf(scopes);
    }

    /** How {@code obs} reconstructs, from {@code pruner.reconstruction.*}. */
    static ReconstructionOptions reconstructionOptions(PrunerConfig.Reconstruction reconstruction) {
        if (!reconstruction.allocation().equals("magnitude") && !reconstruction.allocation().equals("curves")) {
            throw new IllegalArgumentException("pruner.reconstruction.allocation: '" + reconstruction.allocation()
                    + "' is neither magnitude nor curves");
        }
        if (!reconstruction.inputs().equals("pruned") && !reconstruction.inputs().equals("dense")) {
            throw new IllegalArgumentException("pruner.reconstruction.inputs: '" + reconstruction.inputs()
                    + "' is neither pruned nor dense");
        }
        if (reconstruction.stages() < 1 || reconstruction.stages() > ReconstructionOptions.MAX_STAGES) {
            throw new IllegalArgumentException("pruner.reconstruction.stages: " + reconstruction.stages()
                    + " is outside 1.." + ReconstructionOptions.MAX_STAGES);
        }
        if (!(reconstruction.damping() > 0 && reconstruction.damping() <= 1)) {
            throw new IllegalArgumentException("pruner.reconstruction.damping: " + reconstruction.damping()
                    + " is outside (0, 1]");
        }
        if (!reconstruction.mask().equals("one-shot") && !reconstruction.mask().equals("greedy")) {
            throw new IllegalArgumentException("pruner.reconstruction.mask: '" + reconstruction.mask()
                    + "' is neither one-shot nor greedy");
        }
        if (reconstruction.exactLimit() < 0) {
            throw new IllegalArgumentException("pruner.reconstruction.exact-limit: " + reconstruction.exactLimit()
                    + " is negative (0: every kernel swept by SparseGPT)");
        }
        return new ReconstructionOptions(reconstruction.maxInputs(), reconstruction.stages(),
                reconstruction.inputs().equals("pruned"), reconstruction.damping(),
                reconstruction.mask().equals("greedy"), reconstruction.exactLimit(),
                reconstruction.batchNormWeighted());
    }

    /** The configured multiply-add targets of {@code bottleneck}, held to the rules of a checkpoint's own. */
    static List<Double> flopsTargets(List<Double> targets) {
        return bottleneckRequest(targets, null, null, null, null).flopsTargets();
    }

    /** The gate-training settings. */
    static void requireValid(PrunerConfig.Bottleneck bottleneck) {
        bottleneckRequest(bottleneck.flopsTargets(), bottleneck.beta(), bottleneck.gamma(), bottleneck.learningRate(),
                bottleneck.batches().isPresent() ? bottleneck.batches().getAsInt() : null);
        if (bottleneck.batchSize() < 1 || bottleneck.batchSize() > 65_536) {
            throw new IllegalArgumentException("pruner.bottleneck.batch-size: " + bottleneck.batchSize()
                    + " is outside 1..65536");
        }
    }

    static void requireWeightsHeapShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("pruner.weights-heap-share: " + share + " is outside (0, 1]");
        }
    }

    /** The same rules a checkpoint's own request is held to ({@link BottleneckRequest}), named by configuration key. */
    private static BottleneckRequest bottleneckRequest(List<Double> targets, Double beta, Double gamma,
            Double learningRate, Integer batches) {
        try {
            return new BottleneckRequest(targets, beta, gamma, learningRate, batches);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pruner." + e.getMessage().replace("flopsTargets", "flops-targets")
                    .replace("learningRate", "learning-rate"), e);
        }
    }
}
