package io.prunestream.pruner.service;

import io.prunestream.events.PruningMethod;
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
     * One structurally pruned variant: {@code method} {@code filter-l1}, {@code tpp} or {@code bottleneck}; how much
     * it removes: either the share of filters removed per layer ({@code ratio}; for {@code tpp} the checkpoint's
     * own, so NaN here) or the share of the full network's multiply-adds to keep ({@code flopsTarget}; NaN when a
     * ratio is given); and the epochs of fine-tuning after removal (0: none).
     */
    public record StructuredStep(PruningMethod method, double ratio, double flopsTarget, int fineTuneEpochs) {

        /** A step at a multiply-add target rather than a ratio. */
        public boolean atFlopsTarget() {
            return !Double.isNaN(flopsTarget);
        }

        /**
         * {@code <checkpointId>-l1-r5000} or {@code <checkpointId>-tpp-r5000} (the ratio), {@code -l1-f5000} or
         * {@code -bn-f5000} (the share of multiply-adds kept), with {@code -ft<n>} if fine-tuned.
         */
        public String variantId(String checkpointId, double actualRatio) {
            String name = switch (method) {
                case TPP -> "tpp";
                case BOTTLENECK -> "bn";
                default -> "l1";
            };
            return boundedId(checkpointId, String.format(Locale.ROOT, "-%s-%s%04d%s", name,
                    atFlopsTarget() ? "f" : "r", Math.round((atFlopsTarget() ? flopsTarget : actualRatio) * 10_000),
                    fineTuneEpochs > 0 ? "-ft" + fineTuneEpochs : ""));
        }
    }

    /**
     * One variant of layer-wise reconstruction ({@code obs}): every kernel at {@code sparsity} ({@code layer}), or
     * each at the share a global magnitude threshold gives it ({@code global}); with its batch norms re-estimated on
     * {@code calibrationImages} images after, or not (0).
     */
    public record ReconstructionStep(double sparsity, String scope, int calibrationImages) {

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
    private static String boundedId(String checkpointId, String suffix) {
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
    }

    /** The plan with the default structured settings (ratios 0.5, 0.7, 0.9; no fine-tuning). */
    PruningPlan(List<Double> sparsities, List<String> methods, String thresholdScope, List<String> recoveryScopes) {
        this(sparsities, methods, thresholdScope, recoveryScopes, List.of(0.5, 0.7, 0.9), List.of(0),
                List.of(0.5, 0.35), List.of(0), List.of("layer"));
    }

    /** The plan for these configuration values; the first bad one is refused by its key. */
    PruningPlan(List<Double> sparsities, List<String> methods, String thresholdScope, List<String> recoveryScopes,
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
        if (new HashSet<>(methods).size() != methods.size()) {
            throw new IllegalArgumentException("pruner.methods: " + methods + " names a method twice");
        }
        for (double ratio : ratios) {
            if (!(ratio > 0 && ratio < 1)) {
                throw new IllegalArgumentException("pruner.structured.ratios: " + ratio + " is outside (0, 1)");
            }
        }
        if (fineTuneEpochs.isEmpty() || new HashSet<>(fineTuneEpochs).size() != fineTuneEpochs.size()
                || fineTuneEpochs.stream().anyMatch(e -> e < 0 || e > 1000)) {
            throw new IllegalArgumentException("pruner.structured.fine-tune-epochs: " + fineTuneEpochs
                    + " must list distinct epoch counts in 0..1000 (0: not fine-tuned)");
        }
        if (flopsTargets.isEmpty() || new HashSet<>(flopsTargets).size() != flopsTargets.size()
                || flopsTargets.stream().anyMatch(t -> !(t > 0 && t < 1))) {
            throw new IllegalArgumentException("pruner.bottleneck.flops-targets: " + flopsTargets
                    + " must list distinct shares of the full multiply-adds, each in (0, 1)");
        }
        List<Recovery> recoveries = new ArrayList<>();
        List<StructuredStep> structured = new ArrayList<>();
        boolean reconstruct = false;
        List<PruningMethod> flops = new ArrayList<>();
        for (String method : methods) {
            switch (method) {
                case "threshold" -> recoveries.add(new ZeroRecovery());
                case "threshold+mean" -> recoveryScopes.forEach(scope -> recoveries.add(meanRecovery(scope)));
                case "filter-l1" -> ratios.forEach(ratio -> fineTuneEpochs.forEach(epochs -> structured.add(
                        new StructuredStep(PruningMethod.FILTER_L1, ratio, Double.NaN, epochs))));
                case "tpp" -> fineTuneEpochs.forEach(epochs -> structured.add(
                        new StructuredStep(PruningMethod.TPP, Double.NaN, Double.NaN, epochs)));
                case "bottleneck" -> flops.add(PruningMethod.BOTTLENECK);
                case "obs" -> reconstruct = true;
                default -> throw new IllegalArgumentException("pruner.methods: '" + method
                        + "' is not threshold, threshold+mean, obs, filter-l1, tpp or bottleneck");
            }
        }
        if (!flops.isEmpty() && methods.contains("filter-l1")) {
            // filter-l1 at the bottleneck's multiply-add targets too: the two compared at the same cost.
            flops.add(PruningMethod.FILTER_L1);
        }
        this.structuredSteps = List.copyOf(structured);
        this.flopsMethods = List.copyOf(flops);
        this.fineTuneEpochs = List.copyOf(fineTuneEpochs);
        this.flopsTargets = List.copyOf(flopsTargets);
        for (double sparsity : sparsities) {
            if (!(sparsity > 0 && sparsity < 1)) {
                throw new IllegalArgumentException("pruner.sparsities: " + sparsity + " is outside (0, 1)");
            }
        }
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
        for (String scope : reconstruct ? reconstructionScopes : List.<String>of()) {
            for (double sparsity : sparsities) {
                for (int images : calibrations) {
                    reconstructions.add(new ReconstructionStep(sparsity, scope, images));
                }
            }
        }
        this.reconstructionSteps = List.copyOf(reconstructions);
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
                fineTuneEpochs.forEach(epochs -> all.add(new StructuredStep(method, Double.NaN, target, epochs)));
            }
        }
        return all;
    }

    /** Whether {@code bottleneck} is among the methods. */
    public boolean bottleneck() {
        return flopsMethods.contains(PruningMethod.BOTTLENECK);
    }
}
