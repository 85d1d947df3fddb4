package io.prunestream.pruning.reconstruction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dynamic programme against an exhaustive search written here, and its budget in weights. */
class SparsityAllocationTest {

    private static final double[] GRID = {0, 0.25, 0.5, 0.75, 0.9};

    @Test
    void onThreeLayersItFindsTheBruteForceOptimumForEveryTarget() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            List<ErrorCurve> curves = List.of(curve("a", 40, random), curve("b", 100, random), curve("c", 20, random));
            for (double target : new double[] {0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85}) {
                Map<String, Double> picked = SparsityAllocation.allocate(curves, target);

                double best = Double.POSITIVE_INFINITY;
                for (int i = 0; i < GRID.length; i++) {
                    for (int j = 0; j < GRID.length; j++) {
                        for (int k = 0; k < GRID.length; k++) {
                            long removed = Math.round(GRID[i] * 40) + Math.round(GRID[j] * 100)
                                    + Math.round(GRID[k] * 20);
                            if (removed >= Math.ceil(target * 160 - 1e-9)) {
                                best = Math.min(best, curves.get(0).errors()[i] + curves.get(1).errors()[j]
                                        + curves.get(2).errors()[k]);
                            }
                        }
                    }
                }
                assertThat(error(curves, picked)).as("trial %d, target %s", trial, target).isEqualTo(best);
                assertThat(removed(curves, picked)).isGreaterThanOrEqualTo((long) Math.ceil(target * 160 - 1e-9));
            }
        }
    }

    @Test
    void aLargeModelCountedInUnitsStillRemovesAtLeastTheTarget() {
        Random random = new Random(5);
        List<ErrorCurve> curves = List.of(curve("a", 2_359_296, random), curve("b", 9_408, random),
                curve("c", 147_456, random), curve("d", 1_000, random));
        Map<String, Double> picked = SparsityAllocation.allocate(curves, 0.7);

        assertThat(removed(curves, picked)).isGreaterThanOrEqualTo((long) Math.ceil(0.7 * (2_359_296 + 9_408
                + 147_456 + 1_000)));
    }

    @Test
    void aTargetTheCurvesCannotReachIsRefusedWithTheNumbers() {
        List<ErrorCurve> curves = List.of(new ErrorCurve("a", 100, new double[] {0, 0.5}, new double[] {0, 1}));

        assertThatThrownBy(() -> SparsityAllocation.allocate(curves, 0.6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("50 of 100").hasMessageContaining("0.6");
        assertThatThrownBy(() -> SparsityAllocation.allocate(curves, 1.5)).hasMessageContaining("1.5");
    }

    @Test
    void aCurveThatIsNotAscendingOrHasANegativeErrorIsRefused() {
        assertThatThrownBy(() -> new ErrorCurve("x", 4, new double[] {0.5, 0.2}, new double[] {0, 0}))
                .hasMessageContaining("layer x").hasMessageContaining("ascending");
        assertThatThrownBy(() -> new ErrorCurve("x", 4, new double[] {0, 0.2}, new double[] {0, -1}))
                .hasMessageContaining("error -1.0");
    }

    /** Random errors, rising with sparsity (as a layer's do), zero at zero. */
    private static ErrorCurve curve(String name, long parameters, Random random) {
        double[] errors = new double[GRID.length];
        for (int i = 1; i < GRID.length; i++) {
            errors[i] = errors[i - 1] + random.nextDouble() * (1 + 3 * GRID[i]);
        }
        return new ErrorCurve(name, parameters, GRID, errors);
    }

    private static double error(List<ErrorCurve> curves, Map<String, Double> picked) {
        double sum = 0;
        for (ErrorCurve curve : curves) {
            int at = java.util.Arrays.binarySearch(curve.sparsities(), picked.get(curve.name()));
            sum += curve.errors()[at];
        }
        return sum;
    }

    private static long removed(List<ErrorCurve> curves, Map<String, Double> picked) {
        return curves.stream().mapToLong(c -> Math.round(picked.get(c.name()) * c.parameters())).sum();
    }
}
