package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the conversion on a small package of the real layout that the test writes. */
class FashionMnistConverterTest {

    @TempDir
    Path temp;

    private Path clothes;

    @BeforeEach
    void writePackage() throws Exception {
        clothes = Files.createDirectories(temp.resolve("pkg/package/src/clothes"));
        for (int label = 0; label < FashionMnistPackage.CLASSES; label++) {
            StringJoiner entries = new StringJoiner(",", "{\"data\":[", "]}");
            for (int i = 0; i < 3; i++) {
                if (label == 0 && i == 1) {
                    entries.add("[]"); // the package's class 0 really has an empty entry
                }
                entries.add(image(label * 10 + i));
            }
            Files.writeString(clothes.resolve(label + ".json"), entries.toString());
        }
    }

    @Test
    void splitsPerClassInFileOrderAndInterleavesTheClasses() throws Exception {
        Path out = temp.resolve("out");

        FashionMnistConverter.Summary summary = FashionMnistConverter.convert(temp.resolve("pkg"), out, 2);

        assertThat(summary.trainImages()).isEqualTo(20);
        assertThat(summary.testImages()).isEqualTo(10);
        LabeledImages train = Split.TRAIN.load(out);
        LabeledImages test = Split.TEST.load(out);
        for (int i = 0; i < 20; i++) {
            assertThat(train.label(i)).isEqualTo(i % 10);
            // Entry i/10 of class i%10, whose pixels all hold class*10 + entry.
            assertThat(Byte.toUnsignedInt(train.pixels()[i * 784])).isEqualTo((i % 10) * 10 + i / 10);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(test.label(i)).isEqualTo(i);
            assertThat(Byte.toUnsignedInt(test.pixels()[i * 784 + 783])).isEqualTo(i * 10 + 2);
        }
    }

    @Test
    void emptyEntriesAreSkippedAndReportedNotTurnedIntoBlankImages() throws Exception {
        Path out = temp.resolve("out");

        FashionMnistConverter.Summary summary = FashionMnistConverter.convert(temp.resolve("pkg"), out, 2);

        assertThat(summary.skippedEmpty()).containsOnlyKeys(0);
        assertThat(summary.skippedEmpty().get(0)).containsExactly(1);
        assertThat(Files.readString(out.resolve("dataset.json")))
                .contains("\"skippedEmptyEntries\"").contains("\"0\" : [ 1 ]")
                .contains("\"train\" : 20").contains("t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void theOutputIsByteForByteReproducible() throws Exception {
        FashionMnistConverter.Summary first = FashionMnistConverter.convert(temp.resolve("pkg"), temp.resolve("a"), 2);
        FashionMnistConverter.Summary second = FashionMnistConverter.convert(temp.resolve("pkg"), temp.resolve("b"), 2);

        assertThat(second.sha256()).isEqualTo(first.sha256()).hasSize(4);
    }

    @Test
    void anEntryOfTheWrongLengthIsNamed() throws Exception {
        Files.writeString(clothes.resolve("4.json"), "{\"data\":[" + image(1) + ",[1,2,3]]}");

        assertThatThrownBy(() -> FashionMnistConverter.convert(temp.resolve("pkg"), temp.resolve("out"), 2))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("4.json: data[1] has 3 pixels, expected 784");
    }

    @Test
    void aPixelOutOfRangeIsNamed() throws Exception {
        Files.writeString(clothes.resolve("7.json"), "{\"data\":[" + image(1).replaceFirst("1", "300") + "]}");

        assertThatThrownBy(() -> FashionMnistConverter.convert(temp.resolve("pkg"), temp.resolve("out"), 2))
                .hasMessageContaining("7.json: data[0][0] = 300 is outside 0..255");
    }

    @Test
    void aMissingClassFileIsNamed() throws Exception {
        Files.delete(clothes.resolve("9.json"));

        assertThatThrownBy(() -> FashionMnistConverter.convert(temp.resolve("pkg"), temp.resolve("out"), 2))
                .hasMessageContaining("9.json does not exist");
    }

    private static String image(int value) {
        StringJoiner pixels = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 784; i++) {
            pixels.add(String.valueOf(value));
        }
        return pixels.toString();
    }
}
