package io.prunestream.pruner.service;

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
 * What every checkpoint becomes: one variant per (method, recovery scope, sparsity). Built once from configuration,
 * which is checked at start-up: a bad value stops the service with a message that names the key.
 */
@Singleton
public final class PruningPlan {

    /** One variant to produce. */
    public record Step(Pruner pruner, double sparsity) {

        /**
         * Deterministic from (checkpoint, method, sparsity, scopes), so a replayed checkpoint yields the same ids:
         * {@code <checkpointId>-<t|tm>-<threshold scope>-<recovery scope>-s0700}.
         */
        public String variantId(String checkpointId) {
            String suffix = String.format(Locale.ROOT, "-%s-%s-%s-s%04d",
                    "threshold".equals(pruner.recovery().method()) ? "t" : "tm", pruner.threshold().scope(),
                    pruner.recovery().scope(), Math.round(sparsity * 10_000));
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
    }

    private final List<Step> steps;

    @Inject
    PruningPlan(PrunerConfig config) {
        this(config.sparsities(), config.methods(), config.thresholdScope(), config.recoveryScopes());
    }

    /** The plan for these configuration values; the first bad one is refused by its key. */
    PruningPlan(List<Double> sparsities, List<String> methods, String thresholdScope, List<String> recoveryScopes) {
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
        List<Recovery> recoveries = new ArrayList<>();
        for (String method : methods) {
            switch (method) {
                case "threshold" -> recoveries.add(new ZeroRecovery());
                case "threshold+mean" -> recoveryScopes.forEach(scope -> recoveries.add(meanRecovery(scope)));
                default -> throw new IllegalArgumentException("pruner.methods: '" + method
                        + "' is not threshold or threshold+mean");
            }
        }
        for (double sparsity : sparsities) {
            if (!(sparsity > 0 && sparsity < 1)) {
                throw new IllegalArgumentException("pruner.sparsities: " + sparsity + " is outside (0, 1)");
            }
        }
        List<Step> planned = new ArrayList<>();
        for (Recovery recovery : recoveries) {
            for (double sparsity : sparsities) {
                planned.add(new Step(new Pruner(threshold, recovery), sparsity));
            }
        }
        this.steps = List.copyOf(planned);
    }

    private static Recovery meanRecovery(String scope) {
        return switch (scope) {
            case "filter" -> MeanRecovery.perFilter();
            case "layer" -> MeanRecovery.perLayer();
            default -> throw new IllegalArgumentException("pruner.recovery-scopes: '" + scope
                    + "' is not filter or layer");
        };
    }

    public List<Step> steps() {
        return steps;
    }
}
