package io.prunestream.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * NumPy arrays as {@code keras.datasets} hands them out: one {@code .npz} holding {@code x_train}, {@code y_train},
 * {@code x_test}, {@code y_test} ({@code np.savez} or {@code np.savez_compressed}), or those four as {@code .npy}
 * files. Images are C-ordered {@code uint8} arrays {@code [N, H, W]} or {@code [N, H, W, C]} (C = 1 or 3); labels are
 * integers {@code [N]} or {@code [N, 1]}. A stored (uncompressed) array is read in place, a compressed one as a
 * stream. A split missing both arrays is absent; one without the other is an error.
 */
public final class NumpyFormat implements DatasetFormat {

    public static final String NAME = "numpy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(Path folder) {
        return archive(folder) != null || Files.isRegularFile(folder.resolve("x_test.npy"))
                || Files.isRegularFile(folder.resolve("x_train.npy"));
    }

    /** A zip archive holding {@code x_train.npy} or {@code x_test.npy}, whatever its name. */
    @Override
    public boolean recognisesFile(Path file) {
        try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
            return zip.getEntry("x_train.npy") != null || zip.getEntry("x_test.npy") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The one {@code .npz} file of {@code folder}, or null. */
    private static Path archive(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> npz = files.filter(f -> String.valueOf(f.getFileName()).endsWith(".npz")
                    && Files.isRegularFile(f)).toList();
            return npz.size() == 1 ? npz.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Where an array's bytes come from: its file or zip entry, and whether they lie in place. */
    private interface Array {
        String source();

        NpyHeader header() throws DatasetException;

        FixedRecords records(NpyHeader header, int count, int recordBytes);

        InputStream data(NpyHeader header) throws IOException;
    }

    @Override
    public Dataset open(DatasetSpec spec) throws DatasetException {
        Path npz = archive(spec.dir());
        List<Array> arrays = new ArrayList<>();
        for (String name : List.of("x_train", "y_train", "x_test", "y_test")) {
            arrays.add(npz != null ? entry(npz, name) : file(spec.dir().resolve(name + ".npy")));
        }
        ImageSplit train = split(Split.TRAIN, arrays.get(0), arrays.get(1));
        ImageSplit test = split(Split.TEST, arrays.get(2), arrays.get(3));
        if (train == null && test == null) {
            throw new DatasetException("dataset folder " + spec.dir() + " holds no NumPy images: an .npz with x_train"
                    + " and y_train or x_test and y_test (as keras.datasets gives them), or those as .npy files");
        }
        return new Dataset(spec.name(), NAME, Labels.classes(spec.classes(), Stream.of(train, test)
                .filter(s -> s != null).toList()), train, test);
    }

    private static ImageSplit split(Split split, Array images, Array labels) throws DatasetException {
        if (images == null && labels == null) {
            return null;
        }
        if (images == null || labels == null) {
            throw new DatasetException((images == null ? labels : images).source() + " has no "
                    + (images == null ? "images (x_" : "labels (y_") + split.label() + ") beside it");
        }
        NpyHeader x = images.header();
        if (!x.descr().substring(1).equals("u1") || x.fortranOrder()
                || (x.shape().length != 3 && x.shape().length != 4)) {
            throw new DatasetException(images.source() + " is " + x.descr() + (x.fortranOrder() ? " Fortran-ordered"
                    : "") + " of shape " + x.shapeText() + "; images must be C-ordered uint8 [N, H, W] or"
                    + " [N, H, W, C]");
        }
        long[] s = x.shape();
        int channels = s.length == 4 ? (int) s[3] : 1;
        if (channels != 1 && channels != 3 || s[1] < 1 || s[2] < 1 || s[0] > Integer.MAX_VALUE
                || s[1] * s[2] * channels > Integer.MAX_VALUE / 2) {
            throw new DatasetException(images.source() + " has shape " + x.shapeText() + "; images need 1 or 3"
                    + " channels and a size that fits in memory");
        }
        int count = (int) s[0];
        int rows = (int) s[1];
        int columns = (int) s[2];
        int[] values = labels(labels, count);
        FixedRecords records = images.records(x, count, rows * columns * channels);
        return new RecordSplit(split.label(), values, ImageShape.of(rows, columns, channels), records,
                i -> images.source() + " image " + i, record -> new Image(rows, columns, channels, record.clone()));
    }

    private static int[] labels(Array array, int count) throws DatasetException {
        NpyHeader y = array.header();
        int bytes = y.integerBytes();
        long[] s = y.shape();
        if (bytes == 0 || y.fortranOrder() && s.length > 1 || !(s.length == 1 || s.length == 2 && s[1] == 1)) {
            throw new DatasetException(array.source() + " is " + y.descr() + " of shape " + y.shapeText()
                    + "; labels must be integers [N] or [N, 1]");
        }
        if (s[0] != count) {
            throw new DatasetException(array.source() + " holds " + s[0] + " labels for " + count + " images");
        }
        int[] labels = new int[count];
        try (InputStream in = new BufferedInputStream(array.data(y), 1 << 16)) {
            byte[] element = new byte[bytes];
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(element, 0, bytes) < bytes) {
                    throw new DatasetException(array.source() + " is truncated at label " + i + " of " + count);
                }
                long value = 0;
                for (int b = 0; b < bytes; b++) {
                    int at = y.bigEndian() ? b : bytes - 1 - b;
                    value = (value << 8) | (element[at] & 0xFF);
                }
                if (y.signed() && bytes < 8) {
                    value = (value << (64 - 8 * bytes)) >> (64 - 8 * bytes);
                }
                labels[i] = Labels.checkedLabel(value, j -> array.source() + " element " + j, i);
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + array.source() + ": " + e, e);
        }
        return labels;
    }

    private static Array file(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return new Array() {
            @Override
            public String source() {
                return file.toString();
            }

            @Override
            public NpyHeader header() throws DatasetException {
                try (InputStream in = Files.newInputStream(file)) {
                    return NpyHeader.read(in, source());
                } catch (IOException e) {
                    throw new DatasetException("cannot read " + file + ": " + e, e);
                }
            }

            @Override
            public FixedRecords records(NpyHeader header, int count, int recordBytes) {
                return FixedRecords.inPlace(source(), file, header.headerBytes(), count, recordBytes);
            }

            @Override
            public InputStream data(NpyHeader header) throws IOException {
                InputStream in = Files.newInputStream(file);
                in.skipNBytes(header.headerBytes());
                return in;
            }
        };
    }

    private static Array entry(Path npz, String name) throws DatasetException {
        ZipArchiveEntry entry;
        long offset = -1;
        try (ZipFile zip = ZipFile.builder().setPath(npz).get()) {
            entry = zip.getEntry(name + ".npy");
            if (entry == null) {
                return null;
            }
            if (entry.getMethod() == ZipEntry.STORED) {
                // Opening the raw stream finds where the entry's bytes start in the file.
                zip.getRawInputStream(entry).close();
                offset = entry.getDataOffset();
            }
        } catch (IOException e) {
            throw new DatasetException(npz + " is not a readable .npz (zip) archive: " + e.getMessage(), e);
        }
        long dataOffset = offset;
        String source = npz.getFileName() + ":" + name;
        return new Array() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public NpyHeader header() throws DatasetException {
                try (InputStream in = data(null)) {
                    return NpyHeader.read(in, source);
                } catch (IOException e) {
                    throw new DatasetException("cannot read " + source + ": " + e, e);
                }
            }

            @Override
            public FixedRecords records(NpyHeader header, int count, int recordBytes) {
                if (dataOffset >= 0 && entry.getSize() >= header.headerBytes() + (long) count * recordBytes) {
                    return FixedRecords.inPlace(source, npz, dataOffset + header.headerBytes(), count, recordBytes);
                }
                return FixedRecords.streamed(source, () -> data(header), count, recordBytes);
            }

            @Override
            public InputStream data(NpyHeader header) throws IOException {
                ZipFile zip = ZipFile.builder().setPath(npz).get();
                ZipArchiveEntry opened = zip.getEntry(entry.getName());
                InputStream in = new java.io.FilterInputStream(zip.getInputStream(opened)) {
                    @Override
                    public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            zip.close();
                        }
                    }
                };
                if (header != null) {
                    in.skipNBytes(header.headerBytes());
                }
                return in;
            }
        };
    }
}
