package io.prunestream.tensorflow;

/**
 * A checkpoint variable that a conv or dense op consumes as its weights: {@code kind} is {@code conv} (Conv2D
 * filter) or {@code dense} (MatMul weights); {@code op} is the consuming op.
 */
public record PrunableKernel(String key, String kind, String op) {
}
