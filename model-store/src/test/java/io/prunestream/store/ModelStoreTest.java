package io.prunestream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelStoreTest {

    @TempDir
    Path temp;

    private ModelStore store;
    private Path model;

    @BeforeEach
    void setUp() throws Exception {
        store = new ModelStore(temp.resolve("store"));
        model = store.checkpointDir("run-1", "ckpt-1");
        Files.createDirectories(model);
        Files.writeString(temp.resolve("secret.txt"), "outside");
    }

    @Test
    void aUriFromTheStoreResolvesBackToItsPath() throws Exception {
        String uri = store.uriOf(model);

        assertThat(uri).startsWith("file:/").endsWith("/checkpoints/run-1/ckpt-1");
        assertThat(store.resolve(uri)).isEqualTo(model);
        assertThat(store.resolve("file://localhost" + model)).isEqualTo(model);
    }

    @Test
    void aPathThatDoesNotExistYetStillResolvesInsideTheStore() throws Exception {
        Path future = store.variantDir("run-1", "v-1");

        assertThat(store.resolve(future.toUri().toString())).isEqualTo(future);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "/", "/tmp"})
    void anAbsolutePathOutsideTheRootIsRefused(String path) {
        assertThatThrownBy(() -> store.resolve("file://" + path))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("'file://" + path + "'")
                .hasMessageContaining("outside the model store");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/checkpoints/../../secret.txt", "/checkpoints/%2e%2e/%2E%2E/secret.txt",
        "/checkpoints/run-1/./ckpt-1", "/checkpoints/run-1/ckpt-1/.."})
    void dotSegmentsAreRefusedEvenWhenEncoded(String suffix) {
        String uri = "file://" + store.root() + suffix;

        assertThatThrownBy(() -> store.resolve(uri))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining(uri)
                .hasMessageContaining("segment");
    }

    @Test
    void aPrefixThatOnlyLooksLikeTheRootIsRefused() {
        String sibling = "file://" + store.root() + "-evil/model";

        assertThatThrownBy(() -> store.resolve(sibling)).hasMessageContaining("outside the model store");
    }

    @Test
    void aSymbolicLinkThatEscapesTheRootIsRefused() throws Exception {
        Path link = store.root().resolve("checkpoints/run-1/escape");
        Files.createSymbolicLink(link, temp);

        assertThatThrownBy(() -> store.resolve("file://" + link + "/secret.txt"))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void aSymbolicLinkThatStaysInsideTheRootIsAllowed() throws Exception {
        Path link = store.root().resolve("checkpoints/run-1/alias");
        Files.createSymbolicLink(link, model);

        assertThat(store.resolve("file://" + link)).isEqualTo(link);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.org/model", "s3://bucket/model", "checkpoints/run-1/ckpt-1",
        "file:checkpoints/run-1", "file://otherhost/models/x", "", "file:///x?y=1", "file:///x#frag", "not a uri"})
    void otherKindsOfUriAreRefusedByName(String uri) {
        assertThatThrownBy(() -> store.resolve(uri)).isInstanceOf(ModelStoreException.class)
                .hasMessageContaining(uri.isEmpty() ? "empty" : uri);
    }

    @Test
    void idsThatAreNoSafeDirectoryNamesAreRefused() {
        assertThatThrownBy(() -> store.checkpointDir("..", "x")).hasMessageContaining("runId '..'");
        assertThatThrownBy(() -> store.variantDir("run", "a/b")).hasMessageContaining("variantId 'a/b'");
    }

    @Test
    void uriOfRefusesPathsOutsideTheStore() {
        assertThatThrownBy(() -> store.uriOf(temp.resolve("secret.txt"))).hasMessageContaining("outside");
    }

    @Test
    void aStagedDirectoryAppearsOnlyOnCommit() throws Exception {
        Path target = store.variantDir("run-1", "v-1");
        try (StagedDirectory staged = store.stage(target)) {
            Files.writeString(staged.path().resolve("saved_model.pb"), "x");
            assertThat(target).doesNotExist();

            assertThat(staged.commit()).isTrue();
        }
        assertThat(target.resolve("saved_model.pb")).hasContent("x");
        assertThat(leftovers(target.getParent())).isZero();
    }

    @Test
    void aStagedDirectoryThatIsNotCommittedLeavesNothing() throws Exception {
        Path target = store.variantDir("run-1", "v-2");
        try (StagedDirectory staged = store.stage(target)) {
            Files.writeString(staged.path().resolve("half"), "x");
        }
        assertThat(target).doesNotExist();
        assertThat(leftovers(target.getParent())).isZero();
    }

    @Test
    void aSecondWriterOfTheSameTargetKeepsTheFirst() throws Exception {
        Path target = store.variantDir("run-1", "v-3");
        try (StagedDirectory first = store.stage(target); StagedDirectory second = store.stage(target)) {
            Files.writeString(first.path().resolve("f"), "first");
            Files.writeString(second.path().resolve("f"), "second");
            assertThat(first.commit()).isTrue();
            assertThat(second.commit()).isFalse();
        }
        assertThat(target.resolve("f")).hasContent("first");
        assertThat(leftovers(target.getParent())).isZero();
    }

    @Test
    void stagingOutsideTheStoreIsRefused() {
        assertThatThrownBy(() -> store.stage(temp.resolve("elsewhere"))).hasMessageContaining("outside");
    }

    private static long leftovers(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".staging-")).count();
        }
    }
}
