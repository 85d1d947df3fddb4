package io.prunestream.tensorflow.training;

import java.util.Set;

/**
 * What makes the weights prunable. {@code unitNorm}: hyperspherical learning (every conv and dense filter projected
 * back to unit L2 norm after each step, and a cosine classifier with a learnable scale). {@code penalty}:
 * {@code none}; {@code l1}, the mean |w| of each kernel; or {@code quantile}, per kernel with
 * t = the {@code quantileSparsity}-quantile of |w| (no gradient through t), the mean |w| below t plus the mean of
 * relu(margin * t - |w|) above t. {@code normalization} says how kernels are weighed against each other:
 * {@code layer} sums each kernel's mean (every kernel counts the same, so a weight of a small kernel is pushed
 * harder) and {@code weight} takes the mean over all prunable weights times the number of kernels (every weight is
 * pushed the same). The weight {@code lambda} ramps up linearly over {@code warmupEpochs}. {@code tpp}, when set,
 * trains for structured pruning instead ({@link TppSpec}); it defaults to no unit norm and no penalty, and refuses
 * unit norm, which would hold the filters it drives to zero at norm 1. Null fields take the defaults: unit norm with
 * the L1 penalty, lambda 10, layer normalisation (see docs/methods.md).
 */
public record MethodSpec(Boolean unitNorm, String penalty, Double lambda, Double warmupEpochs, String normalization,
        Double quantileSparsity, Double quantileMargin, TppSpec tpp) {

    public MethodSpec {
        if (tpp != null && Boolean.TRUE.equals(unitNorm)) {
            throw new IllegalArgumentException("method.unitNorm: true cannot go with method.tpp: unit-norm projection"
                    + " would hold the filters TPP drives to zero at norm 1");
        }
        unitNorm = Specs.orDefault(unitNorm, tpp == null);
        penalty = Specs.oneOf(Specs.orDefault(penalty, tpp == null ? "l1" : "none"), Set.of("none", "l1",
                "quantile"), "method.penalty");
        lambda = Specs.nonNegative(Specs.orDefault(lambda, 10.0), "method.lambda");
        warmupEpochs = Specs.nonNegative(Specs.orDefault(warmupEpochs, 0.0), "method.warmupEpochs");
        normalization = Specs.oneOf(Specs.orDefault(normalization, "layer"), Set.of("layer", "weight"),
                "method.normalization");
        quantileSparsity = Specs.range(Specs.orDefault(quantileSparsity, 0.7), 0.01, 0.99, "method.quantileSparsity");
        quantileMargin = Specs.range(Specs.orDefault(quantileMargin, 1.5), 1, 100, "method.quantileMargin");
    }

    /** A method without TPP. */
    public MethodSpec(Boolean unitNorm, String penalty, Double lambda, Double warmupEpochs, String normalization,
            Double quantileSparsity, Double quantileMargin) {
        this(unitNorm, penalty, lambda, warmupEpochs, normalization, quantileSparsity, quantileMargin, null);
    }

    public static MethodSpec defaults() {
        return new MethodSpec(null, null, null, null, null, null, null);
    }

    public static MethodSpec plain() {
        return new MethodSpec(false, "none", 0.0, null, null, null, null);
    }

    public boolean hasPenalty() {
        return !"none".equals(penalty) && lambda > 0;
    }

    /** {@code plain}, {@code hyperspherical}, {@code hyperspherical+l1}, {@code l1}, {@code tpp}, ... */
    public String label() {
        if (tpp != null) {
            return hasPenalty() ? "tpp+" + penalty : "tpp";
        }
        String base = unitNorm ? "hyperspherical" : "";
        if (!hasPenalty()) {
            return unitNorm ? base : "plain";
        }
        return unitNorm ? base + "+" + penalty : penalty;
    }

    /** The penalty weight after {@code progress} epochs. */
    public double lambdaAt(double progress) {
        if (!hasPenalty()) {
            return 0;
        }
        return warmupEpochs <= 0 ? lambda : lambda * Math.min(1, progress / warmupEpochs);
    }
}
