package io.prunestream.pruning;

/**
 * One layer after pruning: its new values and what the report says of it. {@code storageBytes} is honest about
 * what a sparse format needs: a bit mask, the kept values and any recovery constants (a mean-recovered layer holds
 * no zeros, so it is not sparse in the ordinary sense).
 */
public record LayerResult(String name, float[] values, long parameters, long pruned, float threshold,
        Double recoveryValue, long storageBytes) {
}
