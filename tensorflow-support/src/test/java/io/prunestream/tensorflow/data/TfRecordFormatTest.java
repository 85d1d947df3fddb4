package io.prunestream.tensorflow.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.datasets.ColourScenes;
import io.prunestream.datasets.Dataset;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.DatasetFormats;
import io.prunestream.datasets.DatasetSpec;
import io.prunestream.datasets.DatasetValidation;
import io.prunestream.datasets.ImageEncoder;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TFRecord shards as TFDS writes them, plain or GZIP, read through the dataset catalogue's format detection: every
 * record's checksums checked, a damaged one named by shard and record, the Example's keys found or declared.
 */
class TfRecordFormatTest {

    private static final LabeledImages TRAIN = ColourScenes.of(SyntheticImages.generate(50, 28, 1), 32, 1);
    private static final LabeledImages TEST = ColourScenes.of(SyntheticImages.generate(30, 28, 2), 32, 2);

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shardsGiveTheImagesAndLabelsTheyWereWrittenWith(boolean gzip) throws Exception {
        TfRecordWriter.write(temp, "scenes", TRAIN, TEST, 3, gzip, "png");

        Dataset dataset = DatasetFormats.open(DatasetSpec.of("scenes", temp));

        assertThat(dataset.format()).isEqualTo("tfrecord");
        assertThat(dataset.classes()).hasSize(10);
        for (ImageSplit split : java.util.List.of(dataset.train(), dataset.test())) {
            LabeledImages expected = split.name().equals("train") ? TRAIN : TEST;
            assertThat(split.randomAccess()).isEqualTo(!gzip);
            assertThat(LabeledImages.of(split).pixels()).isEqualTo(expected.pixels());
            assertThat(LabeledImages.of(split).labels()).containsExactly(expected.labels());
            assertThat(split.image(split.size() - 1).pixels()).isEqualTo(expected.image(split.size() - 1).pixels());
            assertThat(split.image(2).pixels()).as("backwards, a GZIP shard read again").isEqualTo(expected.image(2)
                    .pixels());
        }
        assertThat(dataset.test().locate(11)).isEqualTo("TFRecord shard scenes-test.tfrecord-00001-of-00003, record 1");
    }

    @Test
    void aBitFlippedRecordIsNamedByShardAndRecord() throws Exception {
        TfRecordWriter.write(temp, "scenes", null, TEST, 1, false, "png");
        Path shard = temp.resolve("scenes-test.tfrecord-00000-of-00001");
        long third = recordStart(shard, 2);
        try (RandomAccessFile file = new RandomAccessFile(shard.toFile(), "rw")) {
            file.seek(third + 40);
            int b = file.read();
            file.seek(third + 40);
            file.write(b ^ 0x10);
        }

        assertThatThrownBy(() -> DatasetFormats.open(DatasetSpec.of("scenes", temp)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("TFRecord shard scenes-test.tfrecord-00000-of-00001, record 2 is corrupt: its data's"
                        + " checksum does not match");
    }

    @Test
    void aTruncatedShardIsNamed() throws Exception {
        TfRecordWriter.write(temp, "scenes", null, TEST, 1, false, "png");
        Path shard = temp.resolve("scenes-test.tfrecord-00000-of-00001");
        try (RandomAccessFile file = new RandomAccessFile(shard.toFile(), "rw")) {
            file.setLength(file.length() - 10);
        }

        assertThatThrownBy(() -> DatasetFormats.open(DatasetSpec.of("scenes", temp)))
                .hasMessageContaining("record 29 is corrupt: truncated");
    }

    @Test
    void examplesWithOtherKeysNeedThemDeclared() throws Exception {
        try (OutputStream out = TfRecordWriter.create(temp.resolve("photos-test.tfrecord"), false)) {
            for (int i = 0; i < TEST.count(); i++) {
                TfRecords.write(out, TfRecordWriter.example(ImageEncoder.encode(TEST.image(i), "jpg", 0.95f),
                        TEST.label(i), "img/jpeg", "class"));
            }
        }
        assertThatThrownBy(() -> DatasetFormats.open(DatasetSpec.of("photos", temp)))
                .hasMessageContaining("record 0 has none of the image features [image, image/encoded]; it has [class,"
                        + " img/jpeg] (declare the image key)");

        Dataset dataset = DatasetFormats.open(new DatasetSpec("photos", temp, null, null, "img/jpeg", "class"));
        assertThat(dataset.test().size()).isEqualTo(30);
        assertThat(DatasetValidation.decodeAll(dataset)).isEqualTo(30);
        assertThat(dataset.train()).isNull();
    }

    @Test
    void aModelGardenValidationSplitServesAsTheTestSplitAndOneFileIsRecognised() throws Exception {
        TfRecordWriter.write(temp, "x", null, TEST, 1, true, "png");
        Path shard = temp.resolve("x-test.tfrecord-00000-of-00001");
        Files.move(shard, temp.resolve("validation-00000-of-00001"));

        Dataset dataset = DatasetFormats.open(DatasetSpec.of("garden", temp));

        assertThat(dataset.test().size()).isEqualTo(30);
        assertThat(new TfRecordFormat().recognisesFile(temp.resolve("validation-00000-of-00001"))).isTrue();
        Files.writeString(temp.resolve("notes.tfrecord"), "not a record at all");
        assertThat(new TfRecordFormat().recognisesFile(temp.resolve("notes.tfrecord"))).isFalse();
    }

    /** Where record {@code index} of a plain shard starts. */
    private static long recordStart(Path shard, int index) throws Exception {
        long at = 0;
        try (RandomAccessFile file = new RandomAccessFile(shard.toFile(), "r")) {
            for (int i = 0; i < index; i++) {
                file.seek(at);
                long length = Long.reverseBytes(file.readLong());
                at += 16 + length;
            }
        }
        return at;
    }
}
