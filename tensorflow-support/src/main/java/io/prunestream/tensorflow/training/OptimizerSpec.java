package io.prunestream.tensorflow.training;

import java.util.Set;

/**
 * How weights are updated: {@code sgd} (with momentum) or {@code adam}; L2 weight decay on the kernels; and the
 * learning-rate schedule: {@code constant}, {@code cosine} (from the rate to 0 over the run, per step) or {@code step}
 * (times {@code stepGamma} every {@code stepEpochs} epochs). Null fields take the defaults.
 */
public record OptimizerSpec(String name, Double learningRate, Double momentum, Double weightDecay, String schedule,
        Integer stepEpochs, Double stepGamma) {

    public OptimizerSpec {
        name = Specs.oneOf(Specs.orDefault(name, "sgd"), Set.of("sgd", "adam"), "optimizer.name");
        learningRate = Specs.positive(Specs.orDefault(learningRate, "adam".equals(name) ? 0.001 : 0.01),
                "optimizer.learningRate");
        momentum = Specs.range(Specs.orDefault(momentum, 0.9), 0, 0.999, "optimizer.momentum");
        weightDecay = Specs.nonNegative(Specs.orDefault(weightDecay, 0.0), "optimizer.weightDecay");
        schedule = Specs.oneOf(Specs.orDefault(schedule, "cosine"), Set.of("constant", "cosine", "step"),
                "optimizer.schedule");
        stepEpochs = Specs.range(Specs.orDefault(stepEpochs, 1), 1, 10_000, "optimizer.stepEpochs");
        stepGamma = Specs.range(Specs.orDefault(stepGamma, 0.1), 0, 1, "optimizer.stepGamma");
    }

    public static OptimizerSpec defaults() {
        return new OptimizerSpec(null, null, null, null, null, null, null);
    }

    /** The learning rate at {@code progress} (epochs done, fractional) of {@code epochs}. */
    public double learningRateAt(double progress, int epochs) {
        return switch (schedule) {
            case "cosine" -> learningRate * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress / epochs)));
            case "step" -> learningRate * Math.pow(stepGamma, Math.floor(progress / stepEpochs));
            default -> learningRate;
        };
    }
}
