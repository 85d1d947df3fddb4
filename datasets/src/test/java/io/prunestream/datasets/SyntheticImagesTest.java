package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticImagesTest {

    @TempDir
    Path temp;

    @Test
    void theSameSeedGivesTheSameImagesAndClassesCycle() {
        LabeledImages first = SyntheticImages.generate(30, 28, 9);
        LabeledImages second = SyntheticImages.generate(30, 28, 9);

        assertThat(second.pixels()).isEqualTo(first.pixels());
        assertThat(first.label(13)).isEqualTo(3);
        // Class 0's square starts at row 2, column 2: bright there, noise in the far corner.
        assertThat(first.pixels()[2 * 28 + 2] & 0xFF).isGreaterThanOrEqualTo(180);
        assertThat(first.pixels()[27 * 28 + 27] & 0xFF).isLessThan(60);
    }

    @Test
    void writesTheStandardFilesThatTheReadersTake() throws Exception {
        SyntheticImages.writeIdx(temp, 50, 20, 28);

        Dataset dataset = DatasetFormats.open(DatasetSpec.of("synthetic", temp));
        assertThat(dataset.train().size()).isEqualTo(50);
        assertThat(dataset.test().size()).isEqualTo(20);
        assertThat(dataset.classes()).hasSize(10);
    }
}
