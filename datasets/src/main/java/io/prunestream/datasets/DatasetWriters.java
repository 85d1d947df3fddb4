package io.prunestream.datasets;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes in-memory images in the formats users bring, as their usual writers lay them out: class folders of PNG or
 * JPEG files, a {@code keras.datasets}-style {@code .npz}, CIFAR binary batches, IDX ({@link IdxFiles}). For test
 * fixtures, benchmarks and the local run's colour dataset; TFRecord shards are written by tensorflow-support.
 */
public final class DatasetWriters {

    /** Images per CIFAR-10 training batch file, as the original files hold. */
    public static final int CIFAR_BATCH = 10_000;

    private DatasetWriters() {
    }

    /**
     * {@code <dir>/<split>/<class>/<index>.<extension>} for each split given ({@code null} splits left out), class
     * folders named by {@code classes}; JPEG at {@code jpegQuality}.
     */
    public static void imageFolders(Path dir, LabeledImages train, LabeledImages test, List<String> classes,
            String extension, float jpegQuality) throws IOException {
        for (Split split : Split.values()) {
            LabeledImages images = split == Split.TRAIN ? train : test;
            if (images == null) {
                continue;
            }
            for (String name : classes) {
                Files.createDirectories(dir.resolve(split.label()).resolve(name));
            }
            for (int i = 0; i < images.count(); i++) {
                Path file = dir.resolve(split.label()).resolve(classes.get(images.label(i)))
                        .resolve(String.format(Locale.ROOT, "%06d.%s", i, extension));
                Files.write(file, ImageEncoder.encode(images.image(i), extension, jpegQuality));
            }
        }
    }

    /**
     * A {@code keras.datasets}-style archive at {@code file}: {@code x_train}, {@code y_train}, {@code x_test},
     * {@code y_test} ({@code uint8} images {@code [N, H, W]} for grey or {@code [N, H, W, 3]}, {@code int64} labels),
     * deflated as {@code np.savez_compressed} writes it or stored as {@code np.savez} does.
     */
    public static void numpy(Path file, LabeledImages train, LabeledImages test, boolean compressed)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
            for (Split split : Split.values()) {
                LabeledImages images = split == Split.TRAIN ? train : test;
                if (images == null) {
                    continue;
                }
                long[] shape = images.channels() == 1 ? new long[] {images.count(), images.rows(), images.columns()}
                        : new long[] {images.count(), images.rows(), images.columns(), images.channels()};
                entry(zip, "x_" + split.label() + ".npy", npy("|u1", shape, images.pixels()), compressed);
                byte[] labels = new byte[images.count() * 8];
                for (int i = 0; i < images.count(); i++) {
                    long value = images.label(i);
                    for (int b = 0; b < 8; b++) {
                        labels[i * 8 + b] = (byte) (value >>> (8 * b));
                    }
                }
                entry(zip, "y_" + split.label() + ".npy", npy("<i8", new long[] {images.count()}, labels),
                        compressed);
            }
        }
    }

    private static void entry(ZipArchiveOutputStream zip, String name, byte[] bytes, boolean compressed)
            throws IOException {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED);
        if (!compressed) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            entry.setSize(bytes.length);
            entry.setCrc(crc.getValue());
        }
        zip.putArchiveEntry(entry);
        zip.write(bytes);
        zip.closeArchiveEntry();
    }

    /** An {@code .npy} (format 1.0) of {@code data}, its header padded as NumPy pads it. */
    static byte[] npy(String descr, long[] shape, byte[] data) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': "
                + tuple + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xFF);
        out.write(header.length() >> 8);
        out.write(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        return out.toByteArray();
    }

    /**
     * CIFAR-10's binary batches in {@code dir}: {@code data_batch_1.bin} ... of {@value #CIFAR_BATCH} images each and
     * {@code test_batch.bin}, a label byte and the red, green and blue planes per record, and {@code batches.meta.txt}
     * with {@code classes}. The images must be 32x32 RGB.
     */
    public static void cifar10(Path dir, LabeledImages train, LabeledImages test, List<String> classes)
            throws IOException {
        Files.createDirectories(dir);
        if (train != null) {
            for (int from = 0, batch = 1; from < train.count(); from += CIFAR_BATCH, batch++) {
                cifarFile(dir.resolve("data_batch_" + batch + ".bin"), train, from, Math.min(train.count(),
                        from + CIFAR_BATCH));
            }
        }
        if (test != null) {
            cifarFile(dir.resolve("test_batch.bin"), test, 0, test.count());
        }
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", classes) + "\n\n");
    }

    private static void cifarFile(Path file, LabeledImages images, int from, int to) throws IOException {
        if (images.rows() != CifarFormat.SIDE || images.columns() != CifarFormat.SIDE || images.channels() != 3) {
            throw new IllegalArgumentException("CIFAR records are 32x32x3, not " + images.shape());
        }
        int plane = CifarFormat.SIDE * CifarFormat.SIDE;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] record = new byte[1 + CifarFormat.PIXELS];
            for (int i = from; i < to; i++) {
                record[0] = (byte) images.label(i);
                byte[] hwc = images.image(i).pixels();
                for (int p = 0; p < plane; p++) {
                    for (int c = 0; c < 3; c++) {
                        record[1 + c * plane + p] = hwc[3 * p + c];
                    }
                }
                out.write(record);
            }
        }
    }
}
