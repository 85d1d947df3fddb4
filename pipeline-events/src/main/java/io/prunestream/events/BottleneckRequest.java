package io.prunestream.events;

import java.util.HashSet;
import java.util.List;

/**
 * What a checkpoint asks of the {@code bottleneck} method (AutoBot), each field optional, the pruner's default where
 * absent: {@code flopsTargets}, the shares of the full network's multiply-adds the pruned variants may keep (one
 * variant each, each in (0, 1), distinct); the loss weights {@code beta} (of the multiply-add term) and {@code gamma}
 * (of the term that pushes gates to 0 or 1); Adam's {@code learningRate}; and the {@code batches} the gates train for.
 */
public record BottleneckRequest(List<Double> flopsTargets, Double beta, Double gamma, Double learningRate,
        Integer batches) {

    public BottleneckRequest {
        if (flopsTargets != null) {
            if (flopsTargets.isEmpty() || new HashSet<>(flopsTargets).size() != flopsTargets.size()) {
                throw new IllegalArgumentException("bottleneck.flopsTargets: " + flopsTargets
                        + " must list distinct shares, at least one");
            }
            for (Double target : flopsTargets) {
                if (target == null || !(target > 0 && target < 1)) {
                    throw new IllegalArgumentException("bottleneck.flopsTargets: " + target + " is outside (0, 1)");
                }
            }
            flopsTargets = List.copyOf(flopsTargets);
        }
        if (beta != null && !(beta >= 0 && Double.isFinite(beta))) {
            throw new IllegalArgumentException("bottleneck.beta: " + beta + " is not a finite number >= 0");
        }
        if (gamma != null && !(gamma >= 0 && Double.isFinite(gamma))) {
            throw new IllegalArgumentException("bottleneck.gamma: " + gamma + " is not a finite number >= 0");
        }
        if (learningRate != null && !(learningRate > 0 && learningRate <= 100)) {
            throw new IllegalArgumentException("bottleneck.learningRate: " + learningRate + " is outside (0, 100]");
        }
        if (batches != null && (batches < 1 || batches > 1_000_000)) {
            throw new IllegalArgumentException("bottleneck.batches: " + batches + " is outside 1..1000000");
        }
    }
}
