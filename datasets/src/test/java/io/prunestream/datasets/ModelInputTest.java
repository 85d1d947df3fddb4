package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every image input layout a model may take, and the pixel scaling its producer declares. */
class ModelInputTest {

    private static final List<Long> ANY4 = List.of(-1L, -1L, -1L, -1L);

    @Test
    void eachLayoutIsReadFromTheInputShape() {
        assertThat(resolve(List.of(-1L, 784L), ImageLayout.NHWC).shape()).containsExactly(-1L, 784L);
        assertThat(resolve(List.of(-1L, -1L), ImageLayout.NHWC).shape()).containsExactly(-1L, 784L);
        assertThat(resolve(List.of(-1L, 28L, 28L), ImageLayout.NCHW).shape()).containsExactly(-1L, 28L, 28L);
        assertThat(resolve(List.of(-1L, 28L, 28L, 1L), ImageLayout.NCHW).layout()).isEqualTo(ImageLayout.NHWC);
        assertThat(resolve(List.of(-1L, 1L, 28L, 28L), ImageLayout.NHWC).layout()).isEqualTo(ImageLayout.NCHW);
    }

    @Test
    void whereTwoLayoutsFitTheDeclaredOneDecides() {
        assertThat(resolve(ANY4, ImageLayout.NHWC).shape()).containsExactly(-1L, 28L, 28L, 1L);
        assertThat(resolve(ANY4, ImageLayout.NCHW).shape()).containsExactly(-1L, 1L, 28L, 28L);
    }

    @Test
    void shapesThatFitNoLayoutAreRefusedNamingBoth() {
        assertThatThrownBy(() -> resolve(List.of(-1L, 32L, 32L, 3L), ImageLayout.NHWC))
                .hasMessageContaining("input shape [-1, 32, 32, 3]").hasMessageContaining("[-1, 784]")
                .hasMessageContaining("[-1, 28, 28, 1] (NHWC)").hasMessageContaining("[-1, 1, 28, 28] (NCHW)");
        assertThatThrownBy(() -> resolve(List.of(-1L, 28L, 28L, 1L, 1L), ImageLayout.NHWC))
                .hasMessageContaining("fits none");
        assertThatThrownBy(() -> resolve(List.of(1L, 784L), ImageLayout.NHWC))
                .hasMessageContaining("fixes the batch size at 1");
    }

    @Test
    void valuesAreScaledAndOrderedAsTheLayoutSays() {
        LabeledImages one = new LabeledImages(1, 2, 2, new byte[] {0, 10, (byte) 200, (byte) 255}, new byte[] {3});
        PixelScaling standardise = new PixelScaling(1.0, new double[] {100}, new double[] {50});
        ModelInput input = ModelInput.resolve(List.of(-1L, 4L), 2, 2, 1, ImageLayout.NHWC, standardise);
        assertThat(input.values(one, 0, 1)).containsExactly(-2f, -1.8f, 2f, 3.1f);
        assertThat(input.batchShape(7)).containsExactly(7, 4);
        ModelInput defaults = ModelInput.resolve(List.of(-1L, 2L, 2L, 1L), 2, 2, 1, ImageLayout.NHWC,
                PixelScaling.DEFAULT);
        assertThat(defaults.values(one, 0, 1)).containsExactly(0f, 10 / 255f, 200 / 255f, 1f);
    }

    @Test
    void badScalingIsRefusedByField() {
        assertThatThrownBy(() -> new PixelScaling(Double.NaN, new double[] {0}, new double[] {1}))
                .hasMessageStartingWith("scale: NaN");
        assertThatThrownBy(() -> new PixelScaling(1, new double[] {0}, new double[] {0}))
                .hasMessageStartingWith("std[0]: 0.0 must be a finite positive number");
        assertThatThrownBy(() -> new PixelScaling(1, new double[] {}, new double[] {1}))
                .hasMessageStartingWith("mean: must hold one value");
        assertThatThrownBy(() -> ModelInput.resolve(List.of(-1L, 784L), 28, 28, 1, ImageLayout.NHWC,
                new PixelScaling(1, new double[] {0.1, 0.2, 0.3}, new double[] {1})))
                .hasMessageStartingWith("mean: 3 values, but the images have 1 channel");
        assertThatThrownBy(() -> ImageLayout.of("CHW")).hasMessage("layout: 'CHW' is not NHWC or NCHW");
    }

    private static ModelInput resolve(List<Long> shape, ImageLayout declared) {
        return ModelInput.resolve(shape, 28, 28, 1, declared, PixelScaling.DEFAULT);
    }
}
