package io.prunestream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDigestTest {

    @TempDir
    Path temp;

    @Test
    void matchesTheDocumentedDefinition() throws Exception {
        Path dir = model("a", "b");

        // Computed independently with the Python snippet in docs/events.md over the same two files.
        assertThat(ModelDigest.of(dir))
                .isEqualTo("sha256:683092dd4f8ca87c8da7340155c7348681f7829bc3a99bcebb8f078bde3df1be");
    }

    @Test
    void isTheSameForTheSameFilesWrittenInAnotherOrder() throws Exception {
        Path first = model("a", "b");
        Path second = temp.resolve("second");
        Files.createDirectories(second.resolve("variables"));
        Files.writeString(second.resolve("variables/variables.index"), "b");
        Files.writeString(second.resolve("saved_model.pb"), "a");

        assertThat(ModelDigest.of(second)).isEqualTo(ModelDigest.of(first));
    }

    @Test
    void changesWhenAByteChanges() throws Exception {
        assertThat(ModelDigest.of(model("a", "b"))).isNotEqualTo(ModelDigest.of(model("a", "c")));
    }

    @Test
    void changesWhenAFileIsRenamed() throws Exception {
        Path dir = model("a", "b");
        String before = ModelDigest.of(dir);
        Files.move(dir.resolve("saved_model.pb"), dir.resolve("saved_model2.pb"));

        assertThat(ModelDigest.of(dir)).isNotEqualTo(before);
    }

    @Test
    void contentCannotBeShiftedFromOneFileToTheNext() throws Exception {
        Path one = temp.resolve("one");
        Files.createDirectories(one);
        Files.writeString(one.resolve("a"), "xy");
        Files.writeString(one.resolve("b"), "z");
        Path two = temp.resolve("two");
        Files.createDirectories(two);
        Files.writeString(two.resolve("a"), "x");
        Files.writeString(two.resolve("b"), "yz");

        assertThat(ModelDigest.of(one)).isNotEqualTo(ModelDigest.of(two));
    }

    @Test
    void verifyNamesBothDigestsOnAMismatch() throws Exception {
        Path dir = model("a", "b");
        String wrong = "sha256:" + "0".repeat(64);

        assertThatThrownBy(() -> ModelDigest.verify(dir, wrong))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining(ModelDigest.of(dir)).hasMessageContaining(wrong);
        ModelDigest.verify(dir, ModelDigest.of(dir));
    }

    @Test
    void aSymbolicLinkInsideTheModelIsRefused() throws Exception {
        Path dir = model("a", "b");
        Files.createSymbolicLink(dir.resolve("link"), temp);

        assertThatThrownBy(() -> ModelDigest.of(dir)).hasMessageContaining("symbolic link");
    }

    @Test
    void aMissingDirectoryIsNamed() {
        assertThatThrownBy(() -> ModelDigest.of(temp.resolve("nope"))).hasMessageContaining("nope");
    }

    private Path model(String graph, String index) throws Exception {
        Path dir = Files.createTempDirectory(temp, "model");
        Files.createDirectories(dir.resolve("variables"));
        Files.writeString(dir.resolve("saved_model.pb"), graph);
        Files.writeString(dir.resolve("variables/variables.index"), index);
        return dir;
    }
}
