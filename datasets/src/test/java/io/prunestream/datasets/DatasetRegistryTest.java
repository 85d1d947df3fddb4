package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;
import io.prunestream.store.ModelStore;
import io.prunestream.store.SafeArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration in the store: a whole dataset validated before anything is visible, every refusal leaving the store
 * as it was, and what is registered served by every catalogue on the store.
 */
class DatasetRegistryTest {

    private static final LabeledImages SCENES = ColourScenes.of(SyntheticImages.generate(30, 28, 4), 32, 6);

    @TempDir
    Path temp;

    private ModelStore store;
    private DatasetCatalog catalog;
    private DatasetRegistry registry;

    @BeforeEach
    void open() throws Exception {
        store = new ModelStore(temp.resolve("store"));
        catalog = new DatasetCatalog(Map.of(), store, 0);
        registry = new DatasetRegistry(store, catalog, new SafeArchive(1 << 24, 1 << 24, 10_000, "limit"));
    }

    @Test
    void aTarGzOfClassFoldersIsRegisteredForEveryCatalogueOnTheStore() throws Exception {
        Path folder = temp.resolve("scenes");
        DatasetWriters.imageFolders(folder, SCENES, SCENES, DatasetFormatsTest.CLASSES, "png", 1f);

        DatasetSummary summary = registry.register(DatasetSpec.of("scenes", Path.of(".")), null,
                tarGz(folder, "my-scenes/"));

        assertThat(summary.format()).isEqualTo("image-folders");
        assertThat(summary.splits()).containsEntry("test", new DatasetSummary.SplitSummary(30, "[32, 32, 3]"));
        assertThat(summary.classes()).isEqualTo(DatasetFormatsTest.CLASSES);
        DatasetCatalog another = new DatasetCatalog(Map.of(), store, 5);
        assertThat(another.names()).containsExactly("scenes");
        assertThat(another.test("scenes").size()).isEqualTo(5);
        ImageSplit test = another.dataset("scenes").test();
        for (int i = 0; i < test.size(); i++) {
            assertThat(test.image(i).pixels()).isEqualTo(SCENES.image(DatasetFormatsTest.writtenAs(test, i))
                    .pixels());
        }
        assertThat(stagingLeft()).isEmpty();
    }

    @Test
    void oneNpzFileIsRegisteredAndANameIsNeverTakenTwice() throws Exception {
        Path npz = temp.resolve("x.npz");
        DatasetWriters.numpy(npz, null, SCENES, true);

        registry.register(DatasetSpec.of("arrays", Path.of(".")), null, Files.newInputStream(npz));

        assertThat(catalog.dataset("arrays").format()).isEqualTo("numpy");
        assertThatThrownBy(() -> registry.register(DatasetSpec.of("arrays", Path.of(".")), null,
                Files.newInputStream(npz))).isInstanceOf(DatasetExistsException.class)
                .hasMessageContaining("'arrays' is already in the catalogue");
    }

    @Test
    void aDatasetWithOneCorruptImageIsNotRegisteredAtAll() throws Exception {
        Path folder = temp.resolve("bad");
        DatasetWriters.imageFolders(folder, null, SCENES, DatasetFormatsTest.CLASSES, "png", 1f);
        Files.write(folder.resolve("test/c2/000002.png"), new byte[] {1, 2, 3, 4});

        assertThatThrownBy(() -> registry.register(DatasetSpec.of("bad", Path.of(".")), null, tarGz(folder, "")))
                .isInstanceOfSatisfying(PipelineFailure.class, f -> assertThat(f.reason())
                        .isEqualTo(FailureReason.INVALID_DATASET))
                .hasMessageContaining("test/c2/000002.png");
        assertThat(catalog.names()).isEmpty();
        assertThat(stagingLeft()).isEmpty();
    }

    @Test
    void pathTraversalAndBombsAreRefusedBeforeAnythingLands() throws Exception {
        byte[] escape = tar(Map.of("../../outside.txt", new byte[] {1}));
        assertThatThrownBy(() -> registry.register(DatasetSpec.of("escape", Path.of(".")), null,
                new ByteArrayInputStream(escape))).hasMessageContaining("points outside");
        // 32 MB of zeros packs into a few tens of KB: past the 16 MB unpacked limit.
        byte[] bomb = tar(Map.of("test/c0/zeros.png", new byte[32 << 20]));
        assertThat(bomb.length).isLessThan(1 << 20);
        assertThatThrownBy(() -> registry.register(DatasetSpec.of("bomb", Path.of(".")), null,
                new ByteArrayInputStream(bomb))).hasMessageContaining("unpacks to more than");
        assertThatThrownBy(() -> registry.register(DatasetSpec.of("empty", Path.of(".")), null,
                new ByteArrayInputStream(new byte[0]))).hasMessageContaining("the upload is empty");
        assertThat(Files.exists(temp.resolve("outside.txt"))).isFalse();
        assertThat(catalog.names()).isEmpty();
        assertThat(stagingLeft()).isEmpty();
    }

    private List<Path> stagingLeft() throws IOException {
        if (!Files.isDirectory(store.datasetsDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(store.datasetsDir())) {
            return files.filter(f -> String.valueOf(f.getFileName()).startsWith(".staging")).toList();
        }
    }

    static InputStream tarGz(Path folder, String prefix) throws IOException {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(prefix + folder.relativize(file), Files.readAllBytes(file));
            }
        }
        return new ByteArrayInputStream(tar(files));
    }

    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
