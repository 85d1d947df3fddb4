package io.prunestream.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogitsTest {

    @Test
    void rankCountsTheClassesThatScoreHigher() {
        float[] rows = {0.1f, 2f, -1f, /* row 1 */ 5f, 4f, 3f};

        assertThat(Logits.rank(rows, 0, 3, 1)).isZero();
        assertThat(Logits.rank(rows, 0, 3, 2)).isEqualTo(2);
        assertThat(Logits.rank(rows, 3, 3, 1)).isEqualTo(1);
    }

    @Test
    void crossEntropyIsTheNegativeLogSoftmaxAndStaysFiniteForHugeLogits() {
        float[] logits = {1f, 2f, 3f};
        double expected = -Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));

        assertThat(Logits.crossEntropy(logits, 0, 3, 0)).isCloseTo(expected, within(1e-12));
        assertThat(Logits.crossEntropy(new float[] {1000f, 0f}, 0, 2, 1)).isCloseTo(1000, within(1e-9));
    }
}
