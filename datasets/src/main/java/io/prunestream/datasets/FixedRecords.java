package io.prunestream.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records of one size, one after the other in a file: the images of IDX and CIFAR files and of NumPy arrays. Where
 * the bytes lie in the file as they are, any record is read in place; where they come through a stream (gzip, a
 * deflated NumPy array), a cursor keeps the stream open where the last read stopped, so that reading in order reads
 * each byte once, and reading backwards starts the stream again.
 */
final class FixedRecords {

    /** Opens the stream positioned at the first record. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** Takes one record; the array is reused for the next, so it is copied if kept. */
    @FunctionalInterface
    interface RecordSink {
        void accept(int index, byte[] record) throws DatasetException;
    }

    private final String source;
    private final int count;
    private final int recordBytes;
    private final Path file;
    private final long offset;
    private final Opener opener;
    private InputStream stream;
    private int position;

    private FixedRecords(String source, int count, int recordBytes, Path file, long offset, Opener opener) {
        this.source = source;
        this.count = count;
        this.recordBytes = recordBytes;
        this.file = file;
        this.offset = offset;
        this.opener = opener;
    }

    /** Records lying in {@code file} from byte {@code offset}, read in place. */
    static FixedRecords inPlace(String source, Path file, long offset, int count, int recordBytes) {
        return new FixedRecords(source, count, recordBytes, file, offset, null);
    }

    /** Records that come through a stream {@code opener} opens at the first of them. */
    static FixedRecords streamed(String source, Opener opener, int count, int recordBytes) {
        return new FixedRecords(source, count, recordBytes, null, 0, opener);
    }

    int count() {
        return count;
    }

    boolean randomAccess() {
        return file != null;
    }

    void read(int from, int to, RecordSink sink) throws DatasetException {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("records " + from + ".." + to + " of " + count + " in " + source);
        }
        if (file != null) {
            readInPlace(from, to, sink);
        } else {
            readStreamed(from, to, sink);
        }
    }

    private void readInPlace(int from, int to, RecordSink sink) throws DatasetException {
        byte[] record = new byte[recordBytes];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = from; i < to; i++) {
                ByteBuffer buffer = ByteBuffer.wrap(record);
                long at = offset + (long) i * recordBytes;
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, at + buffer.position()) < 0) {
                        throw new DatasetException(source + " is truncated: record " + i + " of " + count
                                + " ends past the end of the file");
                    }
                }
                sink.accept(i, record);
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + source + ": " + e, e);
        }
    }

    private synchronized void readStreamed(int from, int to, RecordSink sink) throws DatasetException {
        byte[] record = new byte[recordBytes];
        try {
            if (stream == null || from < position) {
                close();
                stream = new BufferedInputStream(opener.open(), 1 << 16);
                position = 0;
            }
            for (; position < from; position++) {
                if (stream.readNBytes(record, 0, recordBytes) < recordBytes) {
                    throw new EOFException();
                }
            }
            for (; position < to; position++) {
                if (stream.readNBytes(record, 0, recordBytes) < recordBytes) {
                    throw new EOFException();
                }
                sink.accept(position, record);
            }
        } catch (EOFException e) {
            close();
            throw new DatasetException(source + " is truncated: it ends before record " + position + " of " + count,
                    e);
        } catch (IOException e) {
            close();
            throw new DatasetException("cannot read " + source + ": " + e, e);
        } catch (DatasetException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // Nothing was written; a stream that does not close cleanly is simply dropped.
            }
            stream = null;
        }
    }
}
