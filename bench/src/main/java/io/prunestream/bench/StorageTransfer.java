package io.prunestream.bench;

import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.StagedDirectory;
import io.prunestream.store.s3.ObjectStore;
import io.prunestream.store.s3.ObjectStoreSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Moving large SavedModels through the object store with a small heap: for each size, a model folder (a small
 * {@code saved_model.pb} and one variables shard of that many MB, seeded random bytes) is committed and published
 * by one store (multipart upload) and fetched, checked against its manifest and digested by a second one with its own
 * local folder, as a pruner and an evaluator on two nodes would. Records MB/s each way and this process's peak RSS
 * (VmHWM); run it with {@code -Xmx512m} to show that memory does not grow with the model.
 *
 * <p>{@code StorageTransfer <endpoint> <bucket> <work dir> <results.json> <MB>...}; the key pair comes from the
 * environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
 */
public final class StorageTransfer {

    private StorageTransfer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: StorageTransfer <endpoint> <bucket> <work dir> <results.json> <MB>...");
            System.exit(2);
        }
        ObjectStoreSettings settings = new ObjectStoreSettings(args[1], "storage-bench", Optional.of(URI.create(
                args[0])), "us-east-1", true, Set.of(), 4L << 30, 64L << 20, Duration.ofMinutes(2));
        Path work = Path.of(args[2]);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            int megabytes = Integer.parseInt(args[i]);
            rows.add(transfer(settings, work, megabytes));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        results.put("partMb", settings.partBytes() >> 20);
        results.put("rows", rows);
        BenchIo.createParent(Path.of(args[3]));
        BenchIo.writeJson(Path.of(args[3]), results);
    }

    private static Map<String, Object> transfer(ObjectStoreSettings settings, Path work, int megabytes)
            throws Exception {
        String id = "m" + megabytes + "-" + System.currentTimeMillis();
        try (ModelStore writer = new ModelStore(work.resolve("writer"), ObjectStore.open(settings));
                ModelStore reader = new ModelStore(work.resolve("reader"), ObjectStore.open(settings))) {
            Path target = writer.checkpointDir("storage-bench", id);
            long upload;
            try (StagedDirectory staged = writer.stage(target)) {
                write(staged.path(), megabytes);
                long started = System.nanoTime();
                staged.commit();
                upload = System.nanoTime() - started;
            }
            String digest = ModelDigest.of(target);
            long started = System.nanoTime();
            Path copy = reader.verifiedModel(writer.uriOf(target), digest);
            long download = System.nanoTime() - started;
            long bytes = ModelDigest.bytes(copy);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("megabytes", bytes / 1e6);
            row.put("uploadSeconds", upload / 1e9);
            row.put("uploadMBps", bytes / 1e6 / (upload / 1e9));
            row.put("downloadVerifiedSeconds", download / 1e9);
            row.put("downloadVerifiedMBps", bytes / 1e6 / (download / 1e9));
            row.put("peakRssMb", BenchKafka.peakRssMb());
            System.out.printf(Locale.ROOT, "%,6.0f MB: upload %.1f s (%.0f MB/s), download + verify %.1f s"
                    + " (%.0f MB/s), peak RSS %d MB%n", bytes / 1e6, upload / 1e9, bytes / 1e6 / (upload / 1e9),
                    download / 1e9, bytes / 1e6 / (download / 1e9), BenchKafka.peakRssMb());
            return row;
        }
    }

    /** A SavedModel-shaped folder: a graph file, an index and one shard of {@code megabytes} MB. */
    private static void write(Path folder, int megabytes) throws IOException {
        Files.createDirectories(folder.resolve("variables"));
        Files.writeString(folder.resolve("saved_model.pb"), "storage benchmark " + megabytes);
        Files.write(folder.resolve("variables/variables.index"), new byte[] {1, 2, 3});
        SplittableRandom random = new SplittableRandom(megabytes);
        byte[] chunk = new byte[8 << 20];
        try (OutputStream out = Files.newOutputStream(folder.resolve("variables/variables.data-00000-of-00001"))) {
            for (long left = (long) megabytes << 20; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }
}
