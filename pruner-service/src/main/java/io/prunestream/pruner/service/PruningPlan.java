package io.prunestream.pruner.service;

import io.prunestream.events.PruningMethod;
import io.prunestream.events.ThresholdScope;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.GlobalThreshold;
import io.prunestream.pruning.LayerThreshold;
import io.prunestream.pruning.MeanRecovery;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.Recovery;
import io.prunestream.pruning.ThresholdStrategy;
import io.prunestream.pruning.ZeroRecovery;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What every checkpoint becomes: one variant per (method, recovery scope, sparsity), and, for a checkpoint of a known
 * ResNet, one per structured method, ratio or multiply-add target, and fine-tuning length ({@link StructuredStep}).
 * Built once from configuration, which is checked at start-up: a bad value stops the service with a message that
 * names the key.
 */
@Singleton
public final class PruningPlan {

    /**
     * One variant to produce: {@code calibrationImages} is 0 for a variant as pruned, else the number of training
     * images its batch-norm statistics are re-estimated on.
     */
    public record Step(Pruner pruner, double sparsity, int calibrationImages) {

        /** A variant as pruned. */
        public Step(Pruner pruner, double sparsity) {
            this(pruner, sparsity, 0);
        }

        public boolean calibrated() {
            return calibrationImages > 0;
        }

        /**
         * Deterministic from (checkpoint, method, sparsity, scopes, calibration), so a replayed checkpoint yields the
         * same ids: {@code <checkpointId>-<t|tm>-<threshold scope>-<recovery scope>-s0700}, then
         * {@code -cbn1024} when batch norm is re-estimated on 1,024 images.
         */
        public String variantId(String checkpointId) {
            return boundedId(checkpointId, String.format(Locale.ROOT, "-%s-%s-%s-s%04d%s",
                    "threshold".equals(pruner.recovery().method()) ? "t" : "tm", pruner.threshold().scope(),
                    pruner.recovery().scope(), Math.round(sparsity * 10_000),
                    calibrated() ? "-cbn" + calibrationImages : ""));
        }
    }

    /**
     * One variant of layer-wise reconstruction ({@code obs}): every kernel at {@code sparsity} ({@code layer}), or
     * each at the share a global magnitude threshold gives it ({@code global}); with its batch norms re-estimated on
     * {@code calibrationImages} images after, or not (0).
     */
    public record ReconstructionStep(double sparsity, ThresholdScope scope, int calibrationImages) {

        public boolean calibrated() {
            return calibrationImages > 0;
        }

        /** {@code <checkpointId>-obs-<layer|global>-s0700}, then {@code -cbn1024} when calibrated. */
        public String variantId(String checkpointId) {
            return boundedId(checkpointId, String.format(Locale.ROOT, "-obs-%s-s%04d%s", scope,
                    Math.round(sparsity * 10_000), calibrated() ? "-cbn" + calibrationImages : ""));
        }
    }

    /** {@code checkpointId + suffix}, or, past 128 characters, a prefix of it, a hash of the whole and the suffix. */
    static String boundedId(String checkpointId, String suffix) {
        String id = checkpointId + suffix;
        if (id.length() <= 128) {
            return id;
        }
        // Still deterministic, still within the id pattern: a prefix and a hash of the whole.
        String hash = sha256(id).substring(0, 12);
        return checkpointId.substring(0, 128 - suffix.length() - hash.length() - 1) + "-" + hash + suffix;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private final List<Step> steps;
    private final List<ReconstructionStep> reconstructionSteps;
    private final List<StructuredStep> structuredSteps;
    private final List<PruningMethod> flopsMethods;
    private final List<Integer> fineTuneEpochs;
    private final List<Double> flopsTargets;

    @Inject
    PruningPlan(PrunerConfig config) {
        this(config.sparsities(), config.methods(), config.thresholdScope(), config.recoveryScopes(),
                config.structured().ratios(), config.structured().fineTuneEpochs(),
                config.bottleneck().flopsTargets(), PlanSettings.calibrationImages(config.calibration()),
                PlanSettings.reconstructionScopes(config.reconstruction()));
        PlanSettings.requireValid(config.bottleneck());
        PlanSettings.requireWeightsHeapShare(config.weightsHeapShare());
    }

    /** The plan with the default structured settings (ratios 0.5, 0.7, 0.9; no fine-tuning). */
    PruningPlan(List<Double> sparsities, List<String> methods, String thresholdScope, List<String> recoveryScopes) {
        this(sparsities, methods, thresholdScope, recoveryScopes, List.of(0.5, 0.7, 0.9), List.of(0),
                List.of(0.5, 0.35), List.of(0), List.of("layer"));
    }

    /** The plan for these configuration values; the first bad one is refused by its key. */
    PruningPlan(List<Double> sparsities, List<String> methodNames, String thresholdScope, List<String> recoveryScopes,
            List<Double> ratios, List<Integer> fineTuneEpochs, List<Double> flopsTargets,
            List<Integer> calibrations, List<String> reconstructionScopes) {
        ThresholdStrategy threshold = switch (thresholdScope) {
            case "layer" -> new LayerThreshold();
            case "global" -> new GlobalThreshold();
            default -> throw new IllegalArgumentException("pruner.threshold-scope: '" + thresholdScope
                    + "' is not layer or global");
        };
        if (recoveryScopes.isEmpty() || new HashSet<>(recoveryScopes).size() != recoveryScopes.size()) {
            throw new IllegalArgumentException("pruner.recovery-scopes: " + recoveryScopes
                    + " must name filter, layer or both, each once");
        }
        List<PruningMethod> methods = methods(methodNames);
        if (fineTuneEpochs.isEmpty() || new HashSet<>(fineTuneEpochs).size() != fineTuneEpochs.size()
                || fineTuneEpochs.stream().anyMatch(e -> e < 0 || e > 1000)) {
            throw new IllegalArgumentException("pruner.structured.fine-tune-epochs: " + fineTuneEpochs
                    + " must list distinct epoch counts in 0..1000 (0: not fine-tuned)");
        }
        List<StructuredStep.FilterShare> shares = ratios.stream().map(StructuredStep.FilterShare::new).toList();
        this.flopsTargets = PlanSettings.flopsTargets(flopsTargets);
        for (double sparsity : sparsities) {
            if (!(sparsity > 0 && sparsity < 1)) {
                throw new IllegalArgumentException("pruner.sparsities: " + sparsity + " is outside (0, 1)");
            }
        }
        List<Recovery> recoveries = new ArrayList<>();
        List<StructuredStep> structured = new ArrayList<>();
        List<PruningMethod> flops = new ArrayList<>();
        for (PruningMethod method : methods) {
            switch (method) {
                case THRESHOLD -> recoveries.add(new ZeroRecovery());
                case THRESHOLD_MEAN -> recoveryScopes.forEach(scope -> recoveries.add(meanRecovery(scope)));
                case FILTER_L1 -> shares.forEach(share -> fineTuneEpochs.forEach(epochs -> structured.add(
                        new StructuredStep(method, share, epochs))));
                case TPP -> fineTuneEpochs.forEach(epochs -> structured.add(new StructuredStep(method,
                        new StructuredStep.CheckpointChoice(), epochs)));
                case BOTTLENECK -> flops.add(method);
                default -> {
                    // obs: its steps follow the sparsities and reconstruction scopes below
                }
            }
        }
        if (!flops.isEmpty() && methods.contains(PruningMethod.FILTER_L1)) {
            // filter-l1 at the bottleneck's multiply-add targets too: the two compared at the same cost.
            flops.add(PruningMethod.FILTER_L1);
        }
        this.structuredSteps = List.copyOf(structured);
        this.flopsMethods = List.copyOf(flops);
        this.fineTuneEpochs = List.copyOf(fineTuneEpochs);
        List<Step> planned = new ArrayList<>();
        for (Recovery recovery : recoveries) {
            for (double sparsity : sparsities) {
                for (int images : calibrations) {
                    planned.add(new Step(new Pruner(threshold, recovery), sparsity, images));
                }
            }
        }
        this.steps = List.copyOf(planned);
        List<ReconstructionStep> reconstructions = new ArrayList<>();
        for (String scope : methods.contains(PruningMethod.OBS) ? reconstructionScopes : List.<String>of()) {
            for (double sparsity : sparsities) {
                for (int images : calibrations) {
                    reconstructions.add(new ReconstructionStep(sparsity, ThresholdScope.of(scope), images));
                }
            }
        }
        this.reconstructionSteps = List.copyOf(reconstructions);
    }

    /** The configured methods, each once; {@code dense} is what every checkpoint is, not a method to plan. */
    private static List<PruningMethod> methods(List<String> names) {
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("pruner.methods: " + names + " names a method twice");
        }
        List<PruningMethod> methods = new ArrayList<>();
        for (String name : names) {
            PruningMethod method = null;
            try {
                method = PruningMethod.of(name);
            } catch (IllegalArgumentException e) {
                // refused below, with the methods a plan can have
            }
            if (method == null || method == PruningMethod.DENSE) {
                throw new IllegalArgumentException("pruner.methods: '" + name
                        + "' is not threshold, threshold+mean, obs, filter-l1, tpp or bottleneck");
            }
            methods.add(method);
        }
        return methods;
    }

    private static Recovery meanRecovery(String scope) {
        return switch (scope) {
            case "filter" -> MeanRecovery.perFilter();
            case "layer" -> MeanRecovery.perLayer();
            default -> throw new IllegalArgumentException("pruner.recovery-scopes: '" + scope
                    + "' is not filter or layer");
        };
    }

    /** The magnitude-pruning variants, made of every checkpoint. */
    public List<Step> steps() {
        return steps;
    }

    /** The layer-wise reconstruction variants ({@code obs}), made of every checkpoint its calibration data fits. */
    public List<ReconstructionStep> reconstructionSteps() {
        return reconstructionSteps;
    }

    /**
     * The structured variants, made of checkpoints of a known ResNet ({@code tpp}: of those that carry filters), at
     * the configured multiply-add targets.
     */
    public List<StructuredStep> structuredSteps() {
        return structuredSteps(flopsTargets);
    }

    /**
     * The structured variants with these multiply-add targets (a checkpoint's own, or the configured ones): the
     * ratio steps, then {@code bottleneck} and, beside it, {@code filter-l1} at each target.
     */
    public List<StructuredStep> structuredSteps(List<Double> targets) {
        List<StructuredStep> all = new ArrayList<>(structuredSteps);
        for (double target : targets) {
            for (PruningMethod method : flopsMethods) {
                fineTuneEpochs.forEach(epochs -> all.add(new StructuredStep(method,
                        new StructuredStep.MultiplyAddShare(target), epochs)));
            }
        }
        return all;
    }

    /** Whether {@code bottleneck} is among the methods. */
    public boolean bottleneck() {
        return flopsMethods.contains(PruningMethod.BOTTLENECK);
    }
}
