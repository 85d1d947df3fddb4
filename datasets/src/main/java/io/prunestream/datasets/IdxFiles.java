package io.prunestream.datasets;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST: a big-endian header (magic 2051 for images, 2049 for labels, then the
 * count, then rows and columns for images) followed by unsigned bytes. Files may be gzipped; that is recognised by
 * content, not by name. Written files are gzipped when the name ends in {@code .gz}.
 */
public final class IdxFiles {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;

    private IdxFiles() {
    }

    /** Reads an image file and its label file and checks that they belong together. */
    public static LabeledImages read(Path images, Path labels) throws DatasetException {
        ImageBlock block = readImages(images);
        byte[] labelBytes = readLabels(labels);
        if (labelBytes.length != block.count()) {
            throw new DatasetException(labels + " holds " + labelBytes.length + " labels but " + images + " holds "
                    + block.count() + " images");
        }
        return new LabeledImages(block.count(), block.rows(), block.columns(), block.pixels(), labelBytes);
    }

    record ImageBlock(int count, int rows, int columns, byte[] pixels) {
    }

    static ImageBlock readImages(Path file) throws DatasetException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new DatasetException(file + " is not an IDX image file: magic number " + magic
                        + ", expected " + IMAGES_MAGIC + (magic == LABELS_MAGIC ? " (this is a label file)" : ""));
            }
            int count = nonNegative(in.readInt(), "image count", file);
            int rows = positive(in.readInt(), "rows", file);
            int columns = positive(in.readInt(), "columns", file);
            long size = (long) count * rows * columns;
            if (size > Integer.MAX_VALUE - 8) {
                throw new DatasetException(file + " declares " + count + " images of " + rows + "x" + columns
                        + ", too many to hold in memory");
            }
            byte[] pixels = new byte[(int) size];
            in.readFully(pixels);
            return new ImageBlock(count, rows, columns, pixels);
        } catch (EOFException e) {
            throw new DatasetException(file + " is truncated: it ends before the data its header declares", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    static byte[] readLabels(Path file) throws DatasetException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new DatasetException(file + " is not an IDX label file: magic number " + magic
                        + ", expected " + LABELS_MAGIC + (magic == IMAGES_MAGIC ? " (this is an image file)" : ""));
            }
            byte[] labels = new byte[nonNegative(in.readInt(), "label count", file)];
            in.readFully(labels);
            return labels;
        } catch (EOFException e) {
            throw new DatasetException(file + " is truncated: it ends before the data its header declares", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    public static void writeImages(Path file, int rows, int columns, byte[] pixels) throws IOException {
        int perImage = rows * columns;
        if (perImage <= 0 || pixels.length % perImage != 0) {
            throw new IllegalArgumentException(pixels.length + " pixels are not a whole number of " + rows + "x"
                    + columns + " images");
        }
        try (DataOutputStream out = create(file)) {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(pixels.length / perImage);
            out.writeInt(rows);
            out.writeInt(columns);
            out.write(pixels);
        }
    }

    public static void writeLabels(Path file, byte[] labels) throws IOException {
        try (DataOutputStream out = create(file)) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(labels);
        }
    }

    private static DataInputStream open(Path file) throws IOException, DatasetException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("dataset file " + file + " does not exist");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return new DataInputStream(gzipped ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                : raw);
    }

    private static DataOutputStream create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream raw = Files.newOutputStream(file);
        // GZIPOutputStream writes no timestamp, so the same content always gives the same bytes.
        return new DataOutputStream(new BufferedOutputStream(file.toString().endsWith(".gz")
                ? new GZIPOutputStream(raw, 1 << 16) : raw, 1 << 16));
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
