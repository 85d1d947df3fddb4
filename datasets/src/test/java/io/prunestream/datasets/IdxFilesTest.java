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
        Path labelFile = temp.resolve("train-labels-idx1-ubyte" + suffix);
        IdxFiles.writeImages(images, 3, 2, pixels);
        IdxFiles.writeLabels(labelFile, labels);

        LabeledImages read = Split.TRAIN.load(temp);

        assertThat(read.count()).isEqualTo(5);
        assertThat(read.rows()).isEqualTo(3);
        assertThat(read.columns()).isEqualTo(2);
        assertThat(read.pixels()).isEqualTo(pixels);
        assertThat(read.labels()).isEqualTo(labels);
        assertThat(read.label(4)).isEqualTo(200);
        assertThat(Files.readAllBytes(images)[0]).isEqualTo(gzip ? (byte) 0x1f : (byte) 0);
    }

    @Test
    void gzipIsRecognisedByContentNotByName() throws Exception {
        Path gzippedButNamedPlain = temp.resolve("images");
        IdxFiles.writeImages(temp.resolve("images.gz"), 2, 2, pixels(1, 2, 2));
        Files.move(temp.resolve("images.gz"), gzippedButNamedPlain);
        Path labels = temp.resolve("labels");
        IdxFiles.writeLabels(labels, new byte[] {3});

        assertThat(IdxFiles.read(gzippedButNamedPlain, labels).count()).isEqualTo(1);
    }

    @Test
    void aLabelFileWhereImagesBelongIsNamed() throws Exception {
        Path labels = temp.resolve("labels.gz");
        IdxFiles.writeLabels(labels, new byte[] {1});

        assertThatThrownBy(() -> IdxFiles.read(labels, labels))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("magic number 2049, expected 2051 (this is a label file)");
    }

    @Test
    void aTruncatedFileIsNamed() throws Exception {
        Path images = temp.resolve("images");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(IdxFiles.IMAGES_MAGIC);
            out.writeInt(10);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[100]);
        }

        assertThatThrownBy(() -> IdxFiles.readImages(images))
                .hasMessageContaining(images + " is truncated");
    }

    @Test
    void imagesAndLabelsOfDifferentCountsAreRefused() throws Exception {
        Path images = temp.resolve("i.gz");
        Path labels = temp.resolve("l.gz");
        IdxFiles.writeImages(images, 2, 2, pixels(3, 2, 2));
        IdxFiles.writeLabels(labels, new byte[] {1, 2});

        assertThatThrownBy(() -> IdxFiles.read(images, labels))
                .hasMessageContaining("holds 2 labels but").hasMessageContaining("holds 3 images");
    }

    @Test
    void aFolderWithoutTheStandardFilesSaysWhatToDo() {
        assertThatThrownBy(() -> Split.TEST.load(temp))
                .hasMessageContaining("t10k-images-idx3-ubyte.gz")
                .hasMessageContaining("fetch-dataset.sh");
    }

    @Test
    void aNegativeDimensionIsRefused() throws Exception {
        Path images = temp.resolve("images");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(IdxFiles.IMAGES_MAGIC);
            out.writeInt(1);
            out.writeInt(-28);
            out.writeInt(28);
        }

        assertThatThrownBy(() -> IdxFiles.readImages(images)).hasMessageContaining("rows = -28");
    }

    static byte[] pixels(int count, int rows, int columns) {
        byte[] pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        return pixels;
    }
}
