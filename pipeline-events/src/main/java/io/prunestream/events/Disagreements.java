package io.prunestream.events;

/**
 * The images a variant and its dense model disagree on: right only for the dense model, right only for the variant,
 * and McNemar's exact p-value for "neither is better" (a two-sided binomial test of the split).
 */
public record Disagreements(long denseOnly, long variantOnly, double pValue) {

    public Disagreements {
        Require.atLeast(denseOnly, 0, "denseOnly");
        Require.atLeast(variantOnly, 0, "variantOnly");
        Require.between(pValue, 0, 1, false, "pValue");
    }
}
