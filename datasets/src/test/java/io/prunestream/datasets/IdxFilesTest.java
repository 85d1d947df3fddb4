package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFilesTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void imagesAndLabelsRoundTripGzippedOrPlain(boolean gzip) throws Exception {
        byte[] pixels = pixels(5, 3, 2);
        byte[] labels = {0, 1, 2, 9, (byte) 200};
        String suffix = gzip ? ".gz" : "";
        Path images = temp.resolve("train-images-idx3-ubyte" + suffix);
        IdxFiles.writeImages(images, 3, 2, pixels);
        IdxFiles.writeLabels(temp.resolve("train-labels-idx1-ubyte" + suffix), labels);

        ImageSplit train = open().train();
        LabeledImages read = LabeledImages.of(train);

        assertThat(train.randomAccess()).isEqualTo(!gzip);
        assertThat(read.count()).isEqualTo(5);
        assertThat(read.rows()).isEqualTo(3);
        assertThat(read.columns()).isEqualTo(2);
        assertThat(read.pixels()).isEqualTo(pixels);
        assertThat(read.labels()).containsExactly(0, 1, 2, 9, 200);
        assertThat(Files.readAllBytes(images)[0]).isEqualTo(gzip ? (byte) 0x1f : (byte) 0);
        assertThat(train.image(3).pixels()).isEqualTo(java.util.Arrays.copyOfRange(pixels, 18, 24));
        assertThat(open().test()).isNull();
    }

    @Test
    void colourImagesRoundTripWithTheirChannelAxis() throws Exception {
        LabeledImages colour = new LabeledImages(2, 2, 3, 3, pixels(2, 2, 9), new int[] {4, 1});
        IdxFiles.write(temp, null, colour);

        LabeledImages read = LabeledImages.of(open().test());

        assertThat(read.shape()).isEqualTo(ImageShape.of(2, 3, 3));
        assertThat(read.pixels()).isEqualTo(colour.pixels());
    }

    @Test
    void gzipIsRecognisedByContentNotByName() throws Exception {
        Path gzipped = temp.resolve("t10k-images-idx3-ubyte.gz");
        IdxFiles.writeImages(gzipped, 2, 2, pixels(1, 2, 2));
        Files.move(gzipped, temp.resolve("t10k-images-idx3-ubyte"));
        IdxFiles.writeLabels(temp.resolve("t10k-labels-idx1-ubyte"), new byte[] {3});

        assertThat(open().test().size()).isEqualTo(1);
        assertThat(open().test().randomAccess()).isFalse();
    }

    @Test
    void aLabelFileWhereImagesBelongIsNamed() throws Exception {
        Path labels = temp.resolve("t10k-images-idx3-ubyte.gz");
        IdxFiles.writeLabels(labels, new byte[] {1});
        IdxFiles.writeLabels(temp.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1});

        assertThatThrownBy(this::open)
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("magic number 2049, expected 2051 (this is a label file)");
    }

    @Test
    void aTruncatedFileIsNamedWhenItsImagesAreRead() throws Exception {
        Path images = temp.resolve("t10k-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(IdxFiles.IMAGES_MAGIC);
            out.writeInt(10);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[100]);
        }
        IdxFiles.writeLabels(temp.resolve("t10k-labels-idx1-ubyte"), new byte[10]);

        assertThatThrownBy(() -> DatasetValidation.decodeAll(open()))
                .hasMessageContaining(images + " is truncated");
    }

    @Test
    void imagesAndLabelsOfDifferentCountsAreRefused() throws Exception {
        IdxFiles.writeImages(temp.resolve("t10k-images-idx3-ubyte.gz"), 2, 2, pixels(3, 2, 2));
        IdxFiles.writeLabels(temp.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1, 2});

        assertThatThrownBy(this::open)
                .hasMessageContaining("holds 2 labels but").hasMessageContaining("holds 3 images");
    }

    @Test
    void aFolderWithoutTheStandardFilesSaysWhatToDo() {
        assertThatThrownBy(() -> new IdxFormat().open(DatasetSpec.of("x", temp)))
                .hasMessageContaining("t10k-images-idx3-ubyte.gz")
                .hasMessageContaining("fetch-dataset.sh");
    }

    @Test
    void aNegativeDimensionIsRefused() throws Exception {
        Path images = temp.resolve("t10k-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(IdxFiles.IMAGES_MAGIC);
            out.writeInt(1);
            out.writeInt(-28);
            out.writeInt(28);
        }
        IdxFiles.writeLabels(temp.resolve("t10k-labels-idx1-ubyte"), new byte[1]);

        assertThatThrownBy(this::open).hasMessageContaining("rows = -28");
    }

    private Dataset open() throws DatasetException {
        return DatasetFormats.open(DatasetSpec.of("idx", temp));
    }

    static byte[] pixels(int count, int rows, int columns) {
        byte[] pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        return pixels;
    }
}
