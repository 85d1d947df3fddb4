package io.prunestream.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SelectionTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 10, 101, 1000, 65_537})
    void agreesWithASortAtEveryRank(int n) {
        Random random = new Random(n);
        for (int trial = 0; trial < 5; trial++) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                // Few distinct values on some trials: ties are the hard case.
                values[i] = trial % 2 == 0 ? (float) random.nextGaussian() : random.nextInt(5);
            }
            float[] sorted = values.clone();
            Arrays.sort(sorted);
            int k = random.nextInt(n);
            assertThat(Selection.kthSmallest(values.clone(), k)).isEqualTo(sorted[k]);
            assertThat(Selection.kthSmallest(values.clone(), 0)).isEqualTo(sorted[0]);
            assertThat(Selection.kthSmallest(values.clone(), n - 1)).isEqualTo(sorted[n - 1]);
        }
    }

    @Test
    void aRankOutsideTheArrayIsRefused() {
        assertThatThrownBy(() -> Selection.kthSmallest(new float[3], 3)).hasMessageContaining("k: 3");
    }
}
