package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;
import io.prunestream.events.Preprocessing;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad data a user may bring gets an error that names the file (or record) and what is wrong. */
class BadDatasetsTest {

    private static final LabeledImages SCENES = ColourScenes.of(SyntheticImages.generate(20, 28, 3), 32, 5);
    private static final List<String> CLASSES = DatasetFormatsTest.CLASSES;

    @TempDir
    Path temp;

    @Test
    void aCorruptImageIsNamed() throws Exception {
        DatasetWriters.imageFolders(temp, null, SCENES, CLASSES, "png", 1f);
        Path victim = temp.resolve("test/c3/000003.png");
        Files.write(victim, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3});

        assertThatThrownBy(() -> DatasetValidation.decodeAll(open()))
                .isInstanceOf(DatasetException.class).hasMessageContaining("test/c3/000003.png");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffd8", "ffd80102", "89504e47", "474946", ""})
    void anImageShorterThanAnyHeaderIsNotReadable(String hex) {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);
        // The JDK's PNG and GIF checks run past the end of such input: that is "not this format", not a read error.
        assertThatThrownBy(() -> ImageDecoder.decode(bytes, "short.jpg"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("short.jpg is not")
                .hasMessageNotContaining("cannot read");
    }

    @Test
    void anEmptyClassFolderIsNamed() throws Exception {
        DatasetWriters.imageFolders(temp, null, SCENES, CLASSES, "png", 1f);
        Files.createDirectories(temp.resolve("test/zz-empty"));

        assertThatThrownBy(this::open).hasMessageContaining("class folder " + temp.resolve("test/zz-empty"))
                .hasMessageContaining("holds no image");
    }

    @Test
    void aSplitMissingAClassIsNamed() throws Exception {
        DatasetWriters.imageFolders(temp, SCENES, SCENES, CLASSES, "png", 1f);
        try (var files = Files.walk(temp.resolve("test/c4"))) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }

        assertThatThrownBy(this::open).hasMessageContaining(temp.resolve("test") + " has no folder for class 'c4'");
    }

    @Test
    void aClassFolderOutsideTheDeclaredClassesIsNamed() throws Exception {
        DatasetWriters.imageFolders(temp, null, SCENES, CLASSES, "png", 1f);

        assertThatThrownBy(() -> DatasetFormats.open(new DatasetSpec("bad", temp, null, CLASSES.subList(0, 9), null,
                null))).hasMessageContaining("'c9' is not one of the declared classes");
    }

    @Test
    void aLabelOutOfRangeIsNamed() throws Exception {
        DatasetWriters.cifar10(temp, null, SCENES, CLASSES);
        try (RandomAccessFile file = new RandomAccessFile(temp.resolve("test_batch.bin").toFile(), "rw")) {
            file.seek(5L * (1 + 3072));
            file.write(12);
        }

        assertThatThrownBy(this::open).hasMessageContaining("label 12 of test_batch.bin record 5 is outside 0..9");
    }

    @Test
    void aNegativeNumpyLabelIsNamed() throws Exception {
        DatasetWriters.numpy(temp.resolve("d.npz"), null, SCENES, false);
        byte[] bytes = Files.readAllBytes(temp.resolve("d.npz"));
        // y_test's first int64 label, little-endian, made -1.
        int at = indexOf(bytes, "y_test.npy") + "y_test.npy".length();
        int data = indexOf(java.util.Arrays.copyOfRange(bytes, at, bytes.length), "\n") + at + 1;
        for (int b = 0; b < 8; b++) {
            bytes[data + b] = (byte) 0xff;
        }
        Files.write(temp.resolve("d.npz"), bytes);

        assertThatThrownBy(this::open).hasMessageContaining("label -1 of d.npz:y_test element 0");
    }

    @Test
    void aZeroByteNpzIsNamed() throws Exception {
        Files.write(temp.resolve("empty.npz"), new byte[0]);

        assertThatThrownBy(this::open).hasMessageContaining("empty.npz is not a readable .npz");
    }

    @Test
    void aTruncatedCifarFileIsNamed() throws Exception {
        DatasetWriters.cifar10(temp, null, SCENES, CLASSES);
        try (RandomAccessFile file = new RandomAccessFile(temp.resolve("test_batch.bin").toFile(), "rw")) {
            file.setLength(file.length() - 100);
        }

        assertThatThrownBy(this::open).hasMessageContaining("test_batch.bin holds").hasMessageContaining(
                "not a whole number of 3073-byte CIFAR-10 records");
    }

    @Test
    void imagesOfSeveralSizesWithoutAResizeAreRefusedWhenAModelTakesThem() throws Exception {
        DatasetWriters.imageFolders(temp, null, SCENES, CLASSES, "png", 1f);
        LabeledImages small = ColourScenes.of(SyntheticImages.generate(1, 28, 9), 30, 1);
        Files.write(temp.resolve("test/c0/odd.png"), ImageEncoder.encode(small.image(0), "png", 1f));
        Dataset dataset = open();
        assertThat(dataset.test().shape()).isEqualTo(new ImageShape(30, 32, 30, 32, 3));

        assertThatThrownBy(() -> ModelInput.resolve(List.of(-1L, 32L, 32L, 3L), dataset.test().shape(),
                Preprocessing.DEFAULT)).isInstanceOfSatisfying(PipelineFailure.class, f -> assertThat(f.reason())
                        .isEqualTo(FailureReason.INPUT_SHAPE_MISMATCH))
                .hasMessageContaining("several sizes, [30..32, 30..32, 3]");
    }

    @Test
    void aFolderOfNoKnownFormatSaysWhatIsRead() throws Exception {
        Files.writeString(temp.resolve("notes.txt"), "nothing here");

        assertThatThrownBy(this::open).hasMessageContaining("holds no dataset of a known format")
                .hasMessageContaining("train/<class>/");
    }

    @Test
    void aHeaderThatDeclaresAHugeImageIsRefusedUndecoded() throws Exception {
        byte[] png = ImageEncoder.encode(SCENES.image(0), "png", 1f);
        // IHDR width and height (bytes 16..23) set to 100,000 x 100,000.
        for (int at : new int[] {16, 20}) {
            png[at] = 0;
            png[at + 1] = 1;
            png[at + 2] = (byte) 0x86;
            png[at + 3] = (byte) 0xa0;
        }
        assertThatThrownBy(() -> ImageDecoder.decode(png, "bomb.png")).hasMessageContaining("bomb.png declares")
                .hasMessageContaining("decompression bomb");
    }

    private Dataset open() throws DatasetException {
        return DatasetFormats.open(DatasetSpec.of("bad", temp));
    }

    private static int indexOf(byte[] bytes, String text) {
        byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException(text + " not found");
    }
}
