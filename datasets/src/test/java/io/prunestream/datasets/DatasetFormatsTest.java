package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same colour scenes written in every lossless format the way its usual writer lays it out, each read back through
 * format detection: the same classes, labels and bytes, image for image, whichever way the split is read.
 */
class DatasetFormatsTest {

    static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(c -> "c" + c).toList();
    static final LabeledImages TRAIN = ColourScenes.of(SyntheticImages.generate(120, 28, 1), 32, 11);
    static final LabeledImages TEST = ColourScenes.of(SyntheticImages.generate(60, 28, 2), 32, 12);

    @TempDir
    static Path temp;

    @BeforeAll
    static void write() throws Exception {
        DatasetWriters.imageFolders(temp.resolve("png"), TRAIN, TEST, CLASSES, "png", 1f);
        DatasetWriters.numpy(temp.resolve("npz").resolve("scenes.npz"), TRAIN, TEST, false);
        DatasetWriters.numpy(temp.resolve("npz-compressed").resolve("scenes.npz"), TRAIN, TEST, true);
        DatasetWriters.cifar10(temp.resolve("cifar").resolve("cifar-10-batches-bin"), TRAIN, TEST, CLASSES);
        IdxFiles.write(temp.resolve("idx"), TRAIN, TEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png:image-folders", "npz:numpy", "npz-compressed:numpy", "cifar:cifar", "idx:idx"})
    void everyFormatGivesTheSameImagesAndLabels(String folderAndFormat) throws Exception {
        String[] parts = folderAndFormat.split(":");
        Dataset dataset = DatasetFormats.open(DatasetSpec.of("scenes", temp.resolve(parts[0])));

        assertThat(dataset.format()).isEqualTo(parts[1]);
        assertThat(dataset.classes()).hasSize(10);
        for (ImageSplit split : List.of(dataset.train(), dataset.test())) {
            LabeledImages expected = split.name().equals("train") ? TRAIN : TEST;
            assertThat(split.shape()).isEqualTo(ImageShape.of(32, 32, 3));
            assertThat(split.size()).isEqualTo(expected.count());
            LabeledImages read = LabeledImages.of(split);
            for (int i = 0; i < split.size(); i++) {
                int written = writtenAs(split, i);
                assertThat(read.label(i)).isEqualTo(expected.label(written));
                assertThat(read.image(i).pixels()).isEqualTo(expected.image(written).pixels());
            }
            // Backwards and one at a time, as a shuffled order reads it.
            for (int i = split.size() - 1; i >= 0; i -= 7) {
                assertThat(split.image(i).pixels()).as("%s image %d", split.locate(i), i)
                        .isEqualTo(expected.image(writtenAs(split, i)).pixels());
            }
        }
    }

    /**
     * Which written image split image {@code i} is: the same position, but for class folders, which list a class's
     * files together, named by their position ({@code test/c3/000013.png}).
     */
    static int writtenAs(ImageSplit split, int i) {
        String where = split.locate(i);
        return where.endsWith(".png") || where.endsWith(".jpg") ? Integer.parseInt(where.substring(
                where.lastIndexOf('/') + 1, where.lastIndexOf('.'))) : i;
    }

    @Test
    void namesComeFromTheClassFoldersOrTheFormatsOwnFile() throws Exception {
        assertThat(DatasetFormats.open(DatasetSpec.of("s", temp.resolve("png"))).classes()).isEqualTo(CLASSES);
        assertThat(DatasetFormats.open(DatasetSpec.of("s", temp.resolve("cifar"))).classes()).isEqualTo(CLASSES);
        assertThat(DatasetFormats.open(DatasetSpec.of("s", temp.resolve("npz"))).classes())
                .isEqualTo(Dataset.numbered(10));
    }

    @Test
    void declaredClassesFixAnotherOrderOfTheFolders() throws Exception {
        List<String> reversed = new java.util.ArrayList<>(CLASSES);
        java.util.Collections.reverse(reversed);
        Dataset dataset = DatasetFormats.open(new DatasetSpec("s", temp.resolve("png"), null, reversed, null, null));
        assertThat(dataset.classes()).isEqualTo(reversed);
        ImageSplit test = dataset.test();
        for (int i = 0; i < test.size(); i++) {
            String folder = test.locate(i).split("/")[1];
            assertThat(test.label(i)).as(test.locate(i)).isEqualTo(reversed.indexOf(folder));
        }
        assertThat(test.locate(0)).startsWith("test/c9/");
    }

    @Test
    void colourScenesAreSeededPerImage() {
        LabeledImages again = ColourScenes.of(SyntheticImages.generate(60, 28, 2), 32, 12);
        assertThat(again.pixels()).isEqualTo(TEST.pixels());
        LabeledImages first = ColourScenes.of(SyntheticImages.generate(60, 28, 2).first(10), 32, 12);
        assertThat(first.pixels()).isEqualTo(TEST.first(10).pixels());
    }
}
