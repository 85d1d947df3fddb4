package io.prunestream.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * MNIST's IDX files, as Fashion-MNIST ships them: {@code train-images-idx3-ubyte.gz}, {@code train-labels-...},
 * {@code t10k-images-...}, {@code t10k-labels-...}, gzipped or not (recognised by content). Images are grey
 * ({@code [N, H, W]}, magic 2051) or, as an extension some writers use, {@code [N, H, W, C]} with C = 1 or 3 (magic
 * 2052). Labels are numbered classes unless names are declared.
 */
public final class IdxFormat implements DatasetFormat {

    public static final String NAME = "idx";

    @Override
    public String name() {
        return NAME;
    }

    /** The file prefix of a split: {@code train} and {@code t10k}, as MNIST names them. */
    public static String prefix(Split split) {
        return split == Split.TRAIN ? "train" : "t10k";
    }

    public static String imagesFileName(Split split) {
        return prefix(split) + "-images-idx3-ubyte.gz";
    }

    public static String labelsFileName(Split split) {
        return prefix(split) + "-labels-idx1-ubyte.gz";
    }

    @Override
    public boolean recognises(Path folder) {
        return find(folder, imagesFileName(Split.TRAIN)) != null || find(folder, imagesFileName(Split.TEST)) != null;
    }

    @Override
    public Dataset open(DatasetSpec spec) throws DatasetException {
        List<ImageSplit> splits = new ArrayList<>();
        ImageSplit train = split(spec.dir(), Split.TRAIN);
        ImageSplit test = split(spec.dir(), Split.TEST);
        if (train == null && test == null) {
            throw new DatasetException("dataset folder " + spec.dir() + " has neither " + imagesFileName(Split.TRAIN)
                    + " nor " + imagesFileName(Split.TEST) + " (gzipped or not); run scripts/fetch-dataset.sh, or point"
                    + " at a folder of IDX files");
        }
        if (train != null) {
            splits.add(train);
        }
        if (test != null) {
            splits.add(test);
        }
        return new Dataset(spec.name(), NAME, Labels.classes(spec.classes(), splits), train, test);
    }

    private static ImageSplit split(Path folder, Split split) throws DatasetException {
        Path images = find(folder, imagesFileName(split));
        if (images == null) {
            return null;
        }
        Path labels = find(folder, labelsFileName(split));
        if (labels == null) {
            throw new DatasetException("dataset folder " + folder + " has " + images.getFileName() + " but not "
                    + labelsFileName(split) + " (gzipped or not)");
        }
        Header header = header(images);
        int[] labelValues = labels(labels);
        if (labelValues.length != header.count()) {
            throw new DatasetException(labels + " holds " + labelValues.length + " labels but " + images + " holds "
                    + header.count() + " images");
        }
        int recordBytes = header.rows() * header.columns() * header.channels();
        FixedRecords records = gzipped(images)
                ? FixedRecords.streamed(images.toString(), () -> skip(open(images), header.bytes()), header.count(),
                        recordBytes)
                : FixedRecords.inPlace(images.toString(), images, header.bytes(), header.count(), recordBytes);
        return new RecordSplit(split.label(), labelValues, ImageShape.of(header.rows(), header.columns(),
                header.channels()), records, i -> images.getFileName() + " image " + i,
                record -> new Image(header.rows(), header.columns(), header.channels(), record.clone()));
    }

    private static Path find(Path folder, String gzName) {
        Path gz = folder.resolve(gzName);
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = folder.resolve(gzName.substring(0, gzName.length() - ".gz".length()));
        return Files.isRegularFile(plain) ? plain : null;
    }

    record Header(int count, int rows, int columns, int channels, int bytes) {
    }

    static Header header(Path file) throws DatasetException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            int magic = in.readInt();
            if (magic != IdxFiles.IMAGES_MAGIC && magic != IdxFiles.COLOUR_IMAGES_MAGIC) {
                throw new DatasetException(file + " is not an IDX image file: magic number " + magic + ", expected "
                        + IdxFiles.IMAGES_MAGIC + (magic == IdxFiles.LABELS_MAGIC ? " (this is a label file)" : ""));
            }
            int count = nonNegative(in.readInt(), "image count", file);
            int rows = positive(in.readInt(), "rows", file);
            int columns = positive(in.readInt(), "columns", file);
            int channels = magic == IdxFiles.COLOUR_IMAGES_MAGIC ? positive(in.readInt(), "channels", file) : 1;
            if (channels != 1 && channels != 3) {
                throw new DatasetException(file + " declares " + channels + " channels per pixel; 1 or 3 are images");
            }
            if ((long) rows * columns * channels > Integer.MAX_VALUE / 2) {
                throw new DatasetException(file + " declares images of " + rows + "x" + columns + "x" + channels
                        + ", too large to be one image");
            }
            return new Header(count, rows, columns, channels, magic == IdxFiles.COLOUR_IMAGES_MAGIC ? 20 : 16);
        } catch (EOFException e) {
            throw new DatasetException(file + " is truncated: it ends inside its header", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    static int[] labels(Path file) throws DatasetException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            int magic = in.readInt();
            if (magic != IdxFiles.LABELS_MAGIC) {
                throw new DatasetException(file + " is not an IDX label file: magic number " + magic + ", expected "
                        + IdxFiles.LABELS_MAGIC + (magic == IdxFiles.IMAGES_MAGIC ? " (this is an image file)" : ""));
            }
            byte[] bytes = new byte[nonNegative(in.readInt(), "label count", file)];
            in.readFully(bytes);
            int[] labels = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                labels[i] = Byte.toUnsignedInt(bytes[i]);
            }
            return labels;
        } catch (EOFException e) {
            throw new DatasetException(file + " is truncated: it ends before the data its header declares", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    private static boolean gzipped(Path file) throws DatasetException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return gzipped ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }

    private static InputStream skip(InputStream in, int bytes) throws IOException {
        in.skipNBytes(bytes);
        return in;
    }

    private static int nonNegative(int value, String what, Path file) throws DatasetException {
        if (value < 0) {
            throw new DatasetException(file + " declares a negative " + what + ": " + value);
        }
        return value;
    }

    private static int positive(int value, String what, Path file) throws DatasetException {
        if (value <= 0) {
            throw new DatasetException(file + " declares " + what + " = " + value + ", must be positive");
        }
        return value;
    }
}
