package io.prunestream.datasets;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the IDX format of MNIST and Fashion-MNIST ({@link IdxFormat} reads it): a big-endian header (magic 2051 for
 * grey images, 2052 for images with a channel axis, 2049 for labels, then the count, then rows, columns and channels)
 * followed by unsigned bytes. Written files are gzipped when the name ends in {@code .gz}.
 */
public final class IdxFiles {

    public static final int IMAGES_MAGIC = 2051;
    public static final int COLOUR_IMAGES_MAGIC = 2052;
    public static final int LABELS_MAGIC = 2049;

    private IdxFiles() {
    }

    /** Writes both splits' standard files into {@code folder} ({@code null} splits are left out). */
    public static void write(Path folder, LabeledImages train, LabeledImages test) throws IOException {
        for (Split split : Split.values()) {
            LabeledImages images = split == Split.TRAIN ? train : test;
            if (images != null) {
                writeImages(folder.resolve(IdxFormat.imagesFileName(split)), images);
                writeLabels(folder.resolve(IdxFormat.labelsFileName(split)), images.labels());
            }
        }
    }

    public static void writeImages(Path file, int rows, int columns, byte[] pixels) throws IOException {
        int perImage = rows * columns;
        if (perImage <= 0 || pixels.length % perImage != 0) {
            throw new IllegalArgumentException(pixels.length + " pixels are not a whole number of " + rows + "x"
                    + columns + " images");
        }
        writeImages(file, new LabeledImages(pixels.length / perImage, rows, columns, 1, pixels,
                new int[pixels.length / perImage]));
    }

    /** Grey images as magic 2051 ({@code [N, H, W]}), colour ones as 2052 ({@code [N, H, W, 3]}). */
    public static void writeImages(Path file, LabeledImages images) throws IOException {
        try (DataOutputStream out = create(file)) {
            out.writeInt(images.channels() == 1 ? IMAGES_MAGIC : COLOUR_IMAGES_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.columns());
            if (images.channels() != 1) {
                out.writeInt(images.channels());
            }
            out.write(images.pixels());
        }
    }

    public static void writeLabels(Path file, int[] labels) throws IOException {
        try (DataOutputStream out = create(file)) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            for (int label : labels) {
                if (label < 0 || label > 255) {
                    throw new IllegalArgumentException("label " + label + " does not fit IDX's unsigned byte");
                }
                out.write(label);
            }
        }
    }

    public static void writeLabels(Path file, byte[] labels) throws IOException {
        int[] values = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = Byte.toUnsignedInt(labels[i]);
        }
        writeLabels(file, values);
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
}
