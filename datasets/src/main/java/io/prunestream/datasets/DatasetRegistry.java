package io.prunestream.datasets;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;
import io.prunestream.store.ArchiveRefusedException;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.SafeArchive;
import io.prunestream.store.StagedDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Registers a dataset in the store for every service on it ({@code POST /datasets/{name}}): a {@code .tar.gz} of a
 * dataset folder, or one {@code .npz} or TFRecord file. All of it is validated first — unpacked safely, its format
 * detected (or as declared), every label checked and every image decoded — in a staging folder; only then is the
 * manifest written and the folder moved into place in one step. A refused dataset leaves nothing behind, and a name
 * already in the catalogue is never replaced.
 */
public final class DatasetRegistry {

    private final ModelStore store;
    private final DatasetCatalog catalog;
    private final SafeArchive archive;

    public DatasetRegistry(ModelStore store, DatasetCatalog catalog, SafeArchive archive) {
        this.store = store;
        this.catalog = catalog;
        this.archive = archive;
    }

    /**
     * Registers {@code upload} as dataset {@code options.name()} ({@code options.dir()} is ignored; format, classes
     * and TFRecord keys are taken from it). {@code fileName}, for a single TFRecord file, names it (and so its split:
     * {@code <name>-test.tfrecord} when absent).
     */
    public DatasetSummary register(DatasetSpec options, String fileName, InputStream upload)
            throws PipelineFailure {
        String name = options.name();
        if (catalog.names().contains(name)) {
            throw new DatasetExistsException("dataset '" + name + "' is already in the catalogue; register under"
                    + " another name");
        }
        Path target = store.datasetsDir().resolve(name);
        try (StagedDirectory staged = store.stage(target)) {
            Path data = staged.path().resolve(RegisteredDataset.DATA);
            Files.createDirectories(data);
            receive(upload, data, name, fileName);
            Dataset dataset;
            try {
                dataset = DatasetFormats.open(options.at(data));
                DatasetValidation.decodeAll(dataset);
            } catch (DatasetException e) {
                throw invalid(e.detail().replace(data.toString(), name), e);
            }
            Map<String, DatasetSummary.SplitSummary> splits = new LinkedHashMap<>();
            dataset.splits().forEach((split, images) -> splits.put(split, new DatasetSummary.SplitSummary(
                    images.size(), images.shape().toString())));
            RegisteredDataset manifest = new RegisteredDataset(name, dataset.format(), options.classes(),
                    options.imageKey(), options.labelKey(), splits, Instant.now());
            DatasetCatalog.JSON.writerWithDefaultPrettyPrinter().writeValue(staged.path().resolve(
                    RegisteredDataset.FILE).toFile(), manifest);
            if (!staged.commit()) {
                throw new DatasetExistsException("dataset '" + name + "' was registered by another request"
                        + " meanwhile; register under another name");
            }
            return DatasetSummary.of(dataset, true);
        } catch (ModelStoreException | IOException e) {
            throw new IllegalStateException("cannot write dataset '" + name + "' to the store: " + e.getMessage(), e);
        }
    }

    /** Puts the upload into {@code data}: unpacked when it is a tar.gz, else as the one file it is. */
    private void receive(InputStream upload, Path data, String name, String fileName) throws PipelineFailure,
            IOException {
        Path file = data.resolveSibling("upload");
        try (InputStream in = upload) {
            long bytes = copyLimited(in, file);
            if (bytes == 0) {
                throw invalid("the upload is empty", null);
            }
        }
        try {
            if (isTarGz(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    archive.unpack(in, data);
                } catch (ArchiveRefusedException e) {
                    throw invalid(e.getMessage(), e);
                }
                hoistWrapper(data);
                return;
            }
            for (DatasetFormat format : DatasetFormats.all()) {
                if (format.recognisesFile(file)) {
                    String stored = format instanceof NumpyFormat ? name + ".npz"
                            : fileName != null ? safeFileName(fileName) : name + "-test.tfrecord";
                    Files.move(file, data.resolve(stored));
                    return;
                }
            }
            throw invalid("the upload is neither a .tar.gz of a dataset folder nor one .npz or TFRecord file", null);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private long copyLimited(InputStream in, Path file) throws IOException, PipelineFailure {
        try (InputStream limited = in; var out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n = limited.read(buffer); n >= 0; n = limited.read(buffer)) {
                total += n;
                if (total > archive.maxUploadBytes()) {
                    throw invalid("the upload exceeds " + archive.limitName() + " (" + archive.maxUploadBytes()
                            + " bytes)", null);
                }
                out.write(buffer, 0, n);
            }
            return total;
        }
    }

    private static boolean isTarGz(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] magic = raw.readNBytes(2);
            if (magic.length < 2 || (magic[0] & 0xFF) != 0x1f || (magic[1] & 0xFF) != 0x8b) {
                return false;
            }
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] header = in.readNBytes(512);
            return header.length == 512 && new String(header, 257, 5, java.nio.charset.StandardCharsets.US_ASCII)
                    .equals("ustar");
        } catch (IOException e) {
            return false;
        }
    }

    /** A folder wrapped around the dataset ({@code cifar10/train/...}) is taken away, unless it is the dataset. */
    private static void hoistWrapper(Path data) throws IOException {
        boolean recognised = DatasetFormats.all().stream().anyMatch(f -> f.recognises(data));
        Path inner = SafeArchive.singleFolder(data);
        if (!recognised && inner != null && DatasetFormats.all().stream().anyMatch(f -> f.recognises(inner))) {
            SafeArchive.hoist(inner);
        }
    }

    private static String safeFileName(String name) throws PipelineFailure {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw invalid("file name '" + name + "' is not a plain file name (letters, digits, '.', '_', '-')", null);
        }
        return name;
    }

    private static PipelineFailure invalid(String message, Throwable cause) {
        return new PipelineFailure(FailureReason.INVALID_DATASET, message, cause);
    }

    /** The names {@code GET /datasets} would list now. */
    public List<DatasetSummary> summaries() {
        return catalog.summaries();
    }
}
