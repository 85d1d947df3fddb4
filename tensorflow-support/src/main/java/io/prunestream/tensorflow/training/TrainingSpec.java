package io.prunestream.tensorflow.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete, validated description of one training: network, optimizer, prunability method, batch size, epochs
 * and seed. The same spec and seed give the same initial weights and the same batch order. Null fields take the
 * defaults; an invalid value is refused with a message that names its field.
 */
public record TrainingSpec(ArchitectureSpec architecture, OptimizerSpec optimizer, MethodSpec method,
        Integer batchSize, Integer epochs, Long seed, Integer logEverySteps) {

    public TrainingSpec {
        architecture = Specs.orDefault(architecture, ArchitectureSpec.defaults());
        optimizer = Specs.orDefault(optimizer, OptimizerSpec.defaults());
        method = Specs.orDefault(method, MethodSpec.defaults());
        batchSize = Specs.range(Specs.orDefault(batchSize, 128), 1, 65_536, "batchSize");
        epochs = Specs.range(Specs.orDefault(epochs, 3), 1, 10_000, "epochs");
        seed = Specs.orDefault(seed, 42L);
        logEverySteps = Specs.range(Specs.orDefault(logEverySteps, 50), 1, 1_000_000, "logEverySteps");
        if (method.tpp() != null) {
            if (!ArchitectureSpec.RESNET.equals(architecture.name())) {
                throw new IllegalArgumentException("method.tpp: architecture '" + architecture.name()
                        + "' has no removable filters; TPP needs a resnet");
            }
            method.tpp().check(epochs);
        }
    }

    public static TrainingSpec defaults() {
        return new TrainingSpec(null, null, null, null, null, null, null);
    }

    /** This spec with another architecture (one fitted to the dataset). */
    public TrainingSpec with(ArchitectureSpec other) {
        return new TrainingSpec(other, optimizer, method, batchSize, epochs, seed, logEverySteps);
    }

    /** Every hyperparameter, flat, as the checkpoint event records them. */
    public Map<String, Object> hyperparameters() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("architecture", architecture.label());
        values.put("optimizer", optimizer.name());
        values.put("learningRate", optimizer.learningRate());
        values.put("momentum", optimizer.momentum());
        values.put("weightDecay", optimizer.weightDecay());
        values.put("schedule", optimizer.schedule());
        values.put("batchSize", batchSize);
        values.put("epochs", epochs);
        values.put("unitNorm", method.unitNorm());
        values.put("penalty", method.penalty());
        values.put("lambda", method.lambda());
        values.put("warmupEpochs", method.warmupEpochs());
        values.put("normalization", method.normalization());
        if (method.tpp() != null) {
            TppSpec tpp = method.tpp();
            values.put("tppRatio", tpp.ratio());
            values.put("tppSplitEpochs", tpp.splitAt(epochs));
            values.put("tppRampEndEpochs", tpp.rampEnd(epochs));
            values.put("tppGramWeight", tpp.gramWeightFor(optimizer.learningRate()));
            values.put("tppMaxDecay", tpp.maxDecay());
        }
        if ("quantile".equals(method.penalty())) {
            values.put("quantileSparsity", method.quantileSparsity());
            values.put("quantileMargin", method.quantileMargin());
        }
        return values;
    }
}
