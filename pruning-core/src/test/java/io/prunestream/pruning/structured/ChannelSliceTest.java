package io.prunestream.pruning.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChannelSliceTest {

    /** A [2, 3, 4] tensor whose value at (a, b, c) is a*100 + b*10 + c. */
    private static float[] tensor() {
        float[] values = new float[24];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 4; c++) {
                    values[a * 12 + b * 4 + c] = a * 100 + b * 10 + c;
                }
            }
        }
        return values;
    }

    @Test
    void keepsIndicesOfTheLastAxis() {
        assertThat(ChannelSlice.keep(tensor(), new long[] {2, 3, 4}, 2, new int[] {1, 3}))
                .containsExactly(1, 3, 11, 13, 21, 23, 101, 103, 111, 113, 121, 123);
    }

    @Test
    void keepsIndicesOfAMiddleAxis() {
        assertThat(ChannelSlice.keep(tensor(), new long[] {2, 3, 4}, 1, new int[] {2}))
                .containsExactly(20, 21, 22, 23, 120, 121, 122, 123);
        assertThat(ChannelSlice.shape(new long[] {2, 3, 4}, 1, 1)).containsExactly(2, 1, 4);
    }

    @Test
    void badShapesAndIndicesAreNamed() {
        assertThatThrownBy(() -> ChannelSlice.keep(new float[5], new long[] {2, 3}, 1, new int[] {0}))
                .hasMessage("shape [2, 3] does not hold 5 values");
        assertThatThrownBy(() -> ChannelSlice.keep(tensor(), new long[] {2, 3, 4}, 2, new int[] {4}))
                .hasMessage("layer axis 2: kept filters [4] are not increasing indices below 4");
    }
}
