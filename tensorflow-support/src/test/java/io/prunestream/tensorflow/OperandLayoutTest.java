package io.prunestream.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OperandLayoutTest {

    @Test
    void anOihwKernelBecomesTheHwioItsConvSeesAndComesBack() {
        long[] oihw = {4, 3, 2, 5};
        float[] stored = random(4 * 3 * 2 * 5);
        OperandLayout layout = OperandLayout.of(new KernelView(List.of(new KernelView.Transpose(List.of(2, 3, 1, 0))),
                List.of(-1)), oihw).orElseThrow();

        float[] hwio = layout.toOperand(stored);

        assertThat(layout.operandShape()).containsExactly(2, 5, 3, 4);
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 3; i++) {
                for (int h = 0; h < 2; h++) {
                    for (int w = 0; w < 5; w++) {
                        assertThat(hwio[((h * 5 + w) * 3 + i) * 4 + o]).isEqualTo(stored[((o * 3 + i) * 2 + h) * 5 + w]);
                    }
                }
            }
        }
        assertThat(layout.toVariable(hwio)).containsExactly(stored);
    }

    @Test
    void reshapesKeepTheOrderAndTransposesAroundThemStillInvert() {
        long[] shape = {6, 4};
        float[] stored = random(24);
        OperandLayout layout = OperandLayout.of(new KernelView(List.of(new KernelView.Reshape(List.of(2L, 3L, -1L)),
                new KernelView.Transpose(List.of(1, 2, 0)), new KernelView.Reshape(List.of(12L, 2L))), List.of(-1)),
                shape).orElseThrow();

        float[] operand = layout.toOperand(stored);

        assertThat(layout.operandShape()).containsExactly(12, 2);
        // [2, 3, 4] transposed to [3, 4, 2]: operand (b, c, a) is stored (a, b, c).
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 4; c++) {
                    assertThat(operand[(b * 4 + c) * 2 + a]).isEqualTo(stored[(a * 3 + b) * 4 + c]);
                }
            }
        }
        assertThat(layout.toVariable(operand)).containsExactly(stored);
        assertThat(OperandLayout.of(new KernelView(List.of(new KernelView.Transpose(List.of(0, 1, 2))), List.of(-1)),
                shape)).as("a permutation of another rank").isEmpty();
    }

    private static float[] random(int n) {
        Random random = new Random(3);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextFloat();
        }
        return values;
    }
}
