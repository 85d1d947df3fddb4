package io.prunestream.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.store.ModelStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {

    @TempDir
    Path dir;

    private Instant now = Instant.parse("2026-12-07T00:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void evictsTheLeastRecentlyUsedCopiesThatAreNotPinned() throws Exception {
        ModelCache cache = new ModelCache(dir, 100, Duration.ofMinutes(30), clock);
        Path a = copy(cache, "a");
        now = now.plusSeconds(60);
        Path b = copy(cache, "b");
        now = now.plusSeconds(60);
        cache.use(a);
        now = now.plus(Duration.ofHours(1));
        Path c = copy(cache, "c");

        // a, b and c hold 120 bytes; a was used after b, and c is pinned (just used): b goes.
        cache.reserve(0);
        assertThat(b).doesNotExist();
        assertThat(a).exists();
        assertThat(c).exists();
        assertThat(cache.bytes()).isEqualTo(80);
    }

    @Test
    void keepsPinnedCopiesEvenAboveTheCap() throws Exception {
        ModelCache cache = new ModelCache(dir, 50, Duration.ofMinutes(30), clock);
        Path a = copy(cache, "a");
        Path b = copy(cache, "b");
        cache.reserve(40);
        assertThat(a).exists();
        assertThat(b).exists();
        assertThat(cache.bytes()).isEqualTo(80);
    }

    @Test
    void aRestartedServiceKnowsItsCopiesAndTheirAges() throws Exception {
        ModelCache first = new ModelCache(dir, 100, Duration.ofMinutes(30), clock);
        Path a = copy(first, "a");
        now = now.plus(Duration.ofHours(1));
        Path b = copy(first, "b");
        now = now.plus(Duration.ofHours(1));

        ModelCache restarted = new ModelCache(dir, 100, Duration.ofMinutes(30), clock);
        assertThat(restarted.bytes()).isEqualTo(80);
        assertThat(restarted.use(a)).isTrue();
        restarted.reserve(50);
        assertThat(b).doesNotExist();
        assertThat(a).exists();
        // The marker lies beside the folder, so the folder holds only the model's own files.
        try (var files = Files.list(a)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("weights.bin");
        }
    }

    private Path copy(ModelCache cache, String name) throws IOException, ModelStoreException {
        Path folder = dir.resolve("bucket").resolve(name);
        Files.createDirectories(folder);
        Files.write(folder.resolve("weights.bin"), new byte[40]);
        cache.added(folder, 40);
        return folder;
    }
}
