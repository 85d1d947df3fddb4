package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.Resize;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every image input layout a model may take, and the preprocessing its producer declares. */
class ModelInputTest {

    private static final List<Long> ANY4 = List.of(-1L, -1L, -1L, -1L);
    private static final ImageShape GREY28 = ImageShape.of(28, 28, 1);
    private static final ImageShape RGB32 = ImageShape.of(32, 32, 3);

    @Test
    void eachLayoutIsReadFromTheInputShape() throws Exception {
        assertThat(resolve(List.of(-1L, 784L), "NHWC").shape()).containsExactly(-1L, 784L);
        assertThat(resolve(List.of(-1L, -1L), "NHWC").shape()).containsExactly(-1L, 784L);
        assertThat(resolve(List.of(-1L, 28L, 28L), "NCHW").shape()).containsExactly(-1L, 28L, 28L);
        assertThat(resolve(List.of(-1L, 28L, 28L, 1L), "NCHW").layout()).isEqualTo(ImageLayout.NHWC);
        assertThat(resolve(List.of(-1L, 1L, 28L, 28L), "NHWC").layout()).isEqualTo(ImageLayout.NCHW);
    }

    @Test
    void whereTwoLayoutsFitTheDeclaredOneDecides() throws Exception {
        assertThat(resolve(ANY4, "NHWC").shape()).containsExactly(-1L, 28L, 28L, 1L);
        assertThat(resolve(ANY4, "NCHW").shape()).containsExactly(-1L, 1L, 28L, 28L);
    }

    @Test
    void shapesThatFitNoLayoutAreRefusedNamingBoth() {
        assertThatThrownBy(() -> resolve(List.of(-1L, 32L, 32L, 1L), "NHWC"))
                .isInstanceOf(PipelineFailure.class)
                .hasMessageStartingWith("input-shape-mismatch: input shape [-1, 32, 32, 1]")
                .hasMessageContaining("[-1, 784]").hasMessageContaining("[-1, 28, 28, 1] (NHWC)")
                .hasMessageContaining("[-1, 1, 28, 28] (NCHW)").hasMessageContaining("preprocessing.resize");
        assertThatThrownBy(() -> resolve(List.of(-1L, 28L, 28L, 1L, 1L), "NHWC"))
                .hasMessageContaining("no image input");
        assertThatThrownBy(() -> resolve(List.of(1L, 784L), "NHWC"))
                .hasMessageContaining("fixes the batch size at 1");
    }

    @Test
    void greyImagesForAColourInputNeedADeclaredConversion() throws Exception {
        assertThatThrownBy(() -> ModelInput.resolve(List.of(-1L, 28L, 28L, 3L), GREY28, Preprocessing.DEFAULT))
                .hasMessage("input-shape-mismatch: grey images [28, 28, 1] for input [-1, 28, 28, 3] (3 channels):"
                        + " declare preprocessing.channels ('rgb' or 'bgr') to convert them");
        assertThatThrownBy(() -> ModelInput.resolve(List.of(-1L, 32L, 32L, 1L), RGB32, Preprocessing.DEFAULT))
                .hasMessageContaining("colour images [32, 32, 3] for input [-1, 32, 32, 1] (1 channel): declare"
                        + " preprocessing.channels ('grey')");
        ModelInput repeated = ModelInput.resolve(List.of(-1L, 28L, 28L, 3L), GREY28, with("rgb", null, null));
        Image grey = new Image(28, 28, 1, new byte[784]);
        grey.pixels()[0] = (byte) 255;
        float[] values = new float[repeated.valuesPerImage()];
        repeated.write(grey, values, 0, "x");
        assertThat(values[0]).isEqualTo(1f);
        assertThat(values[1]).isEqualTo(1f);
        assertThat(values[2]).isEqualTo(1f);
        assertThat(values[3]).isEqualTo(0f);
    }

    @Test
    void colourBecomesGreyByLumaAndBgrReversesTheChannels() throws Exception {
        Image pixel = new Image(1, 1, 3, new byte[] {(byte) 200, 100, 50});
        ModelInput grey = ModelInput.resolve(List.of(-1L, 1L, 1L, 1L), ImageShape.of(1, 1, 3),
                new Preprocessing(null, 1.0, null, null, null, "grey", null, null, null));
        float[] one = new float[1];
        grey.write(pixel, one, 0, "x");
        assertThat(one[0]).isEqualTo(Math.round(0.2989 * 200 + 0.5870 * 100 + 0.1140 * 50));
        ModelInput caffe = ModelInput.resolve(List.of(-1L, 1L, 1L, 3L), ImageShape.of(1, 1, 3),
                new Preprocessing("caffe", null, null, null, null, null, null, null, null));
        float[] three = new float[3];
        caffe.write(pixel, three, 0, "x");
        assertThat(three).containsExactly((float) (50 - 103.939), (float) (100 - 116.779), (float) (200 - 123.68));
    }

    @Test
    void imagesOfAnotherSizeOrOfSeveralNeedAResize() throws Exception {
        ImageShape mixed = new ImageShape(180, 500, 200, 400, 3);
        assertThatThrownBy(() -> ModelInput.resolve(List.of(-1L, 224L, 224L, 3L), mixed, Preprocessing.DEFAULT))
                .hasMessageContaining("several sizes, [180..500, 200..400, 3]")
                .hasMessageContaining("declare preprocessing.resize");
        ModelInput stretched = ModelInput.resolve(List.of(-1L, 224L, 224L, 3L), mixed, with(null, Resize.INPUT,
                null));
        assertThat(stretched.rows()).isEqualTo(224);
        ModelInput cropped = ModelInput.resolve(List.of(-1L, -1L, -1L, 3L), mixed, with(null, new Resize(256),
                List.of(224)));
        assertThat(cropped.shape()).containsExactly(-1L, 224L, 224L, 3L);
        assertThatThrownBy(() -> ModelInput.resolve(List.of(-1L, -1L, -1L, 3L), mixed, with(null, new Resize(256),
                null))).hasMessageContaining("needs preprocessing.centerCrop");
    }

    @Test
    void shorterSideResizeThenCentreCropAsTorchvision() throws Exception {
        byte[] pixels = new byte[4 * 8];
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 4; y++) {
                pixels[y * 8 + x] = (byte) (x * 10);
            }
        }
        Image wide = new Image(4, 8, 1, pixels);
        ModelInput input = ModelInput.resolve(List.of(-1L, 2L, 2L, 1L), ImageShape.of(4, 8, 1),
                new Preprocessing(null, 1.0, null, null, null, null, new Resize(2), null, "nearest"));
        float[] values = new float[4];
        input.write(wide, values, 0, "x");
        // 4x8 -> 2x4 (nearest: columns 1, 3, 5, 7), then the centre 2x2: columns 3 and 5.
        assertThat(values).containsExactly(30f, 50f, 30f, 50f);
    }

    @Test
    void bilinearMatchesTensorFlowsHalfPixelResize() throws Exception {
        Image ramp = new Image(1, 4, 1, new byte[] {0, 40, 80, 120});
        ModelInput input = ModelInput.resolve(List.of(-1L, 1L, 2L, 1L), ImageShape.of(1, 4, 1),
                new Preprocessing(null, 1.0, null, null, null, null, Resize.INPUT, null, null));
        float[] values = new float[2];
        input.write(ramp, values, 0, "x");
        // tf.image.resize([[0, 40, 80, 120]], [1, 2]): sample points 0.5 and 2.5.
        assertThat(values).containsExactly(20f, 100f);
    }

    @Test
    void valuesAreScaledAndOrderedAsTheLayoutSays() throws Exception {
        LabeledImages one = new LabeledImages(1, 2, 2, new byte[] {0, 10, (byte) 200, (byte) 255}, new byte[] {3});
        ModelInput input = ModelInput.resolve(List.of(-1L, 4L), one.shape(), new Preprocessing(1.0, List.of(100.0),
                List.of(50.0), null));
        assertThat(input.values(one, 0, 1)).containsExactly(-2f, -1.8f, 2f, 3.1f);
        assertThat(input.batchShape(7)).containsExactly(7, 4);
        ModelInput defaults = ModelInput.resolve(List.of(-1L, 2L, 2L, 1L), one.shape(), Preprocessing.DEFAULT);
        assertThat(defaults.values(one, 0, 1)).containsExactly(0f, 10 / 255f, 200 / 255f, 1f);
    }

    @Test
    void badScalingIsRefusedByFieldAsInvalidPreprocessing() {
        assertThatThrownBy(() -> new PixelScaling(Double.NaN, new double[] {0}, new double[] {1}))
                .hasMessageStartingWith("scale: NaN");
        assertThatThrownBy(() -> new PixelScaling(1, new double[] {0}, new double[] {0}))
                .hasMessageStartingWith("std[0]: 0.0 must be a finite positive number");
        assertThatThrownBy(() -> ModelInput.resolve(List.of(-1L, 784L), GREY28, new Preprocessing(1.0,
                List.of(0.1, 0.2, 0.3), null, null)))
                .isInstanceOfSatisfying(PipelineFailure.class, f -> assertThat(f.reason())
                        .isEqualTo(FailureReason.INVALID_PREPROCESSING))
                .hasMessage("invalid-preprocessing: preprocessing.mean: 3 values, but the model takes 1 channel"
                        + " (give 1 value)");
        assertThatThrownBy(() -> ImageLayout.of("CHW")).hasMessage("layout: 'CHW' is not NHWC or NCHW");
    }

    private static Preprocessing with(String channels, Resize resize, List<Integer> crop) {
        return new Preprocessing(null, null, null, null, null, channels, resize, crop, null);
    }

    private static ModelInput resolve(List<Long> shape, String layout) throws PipelineFailure {
        return ModelInput.resolve(shape, GREY28, new Preprocessing(null, null, null, layout));
    }
}
