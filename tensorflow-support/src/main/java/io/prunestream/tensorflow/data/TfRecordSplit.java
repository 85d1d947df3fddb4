package io.prunestream.tensorflow.data;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.ImageDecoder;
import io.prunestream.datasets.ImageShape;
import io.prunestream.datasets.ImageSink;
import io.prunestream.datasets.LabeledSplit;
import io.prunestream.datasets.Labels;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.tensorflow.proto.Example;

/**
 * One split's TFRecord shards, indexed: every record's shard, place and length, its label and its image's size. A
 * plain shard's records are read in place; a GZIP shard's through a stream kept open where the last read stopped (so
 * reading in order reads each byte once).
 */
final class TfRecordSplit extends LabeledSplit {

    /** The largest record read: an encoded image of up to 64 MB. */
    static final long MAX_RECORD = 64L << 20;

    private final Path root;
    private final List<Path> shards;
    private final boolean[] gzipped;
    private final ExampleKeys keys;
    private final int[] shardOf;
    private final int[] recordInShard;
    private final long[] offsets;
    private final Cursor[] cursors;

    private TfRecordSplit(String name, Path root, List<Path> shards, boolean[] gzipped, ExampleKeys keys,
            int[] shardOf, int[] recordInShard, long[] offsets, int[] labels, ImageShape shape) {
        super(name, labels, shape);
        this.root = root;
        this.shards = shards;
        this.gzipped = gzipped;
        this.keys = keys;
        this.shardOf = shardOf;
        this.recordInShard = recordInShard;
        this.offsets = offsets;
        this.cursors = new Cursor[shards.size()];
    }

    /** Reads every record of {@code shards} once: checksums, labels, image sizes. */
    static TfRecordSplit index(String name, Path root, List<Path> shards, ExampleKeys keys) throws DatasetException {
        boolean[] gzipped = new boolean[shards.size()];
        List<int[]> places = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        ImageShape shape = null;
        for (int s = 0; s < shards.size(); s++) {
            Path shard = shards.get(s);
            gzipped[s] = gzipped(shard);
            try (InputStream in = open(shard, gzipped[s])) {
                long position = 0;
                for (int r = 0;; r++) {
                    String where = where(root, shard, r);
                    byte[] data = read(in, where);
                    if (data == null) {
                        break;
                    }
                    ExampleKeys.ImageAndLabel record = parseWith(keys, data, where);
                    labels.add(Labels.checkedLabel(record.label(), i -> where, r));
                    ImageShape one = ImageDecoder.peek(record.image(), where);
                    shape = shape == null ? one : shape.union(one);
                    places.add(new int[] {s, r});
                    offsets.add(position + 12);
                    position += 16L + data.length;
                }
            } catch (IOException e) {
                throw new DatasetException("cannot read TFRecord shard " + shard + ": " + e, e);
            }
        }
        if (labels.isEmpty()) {
            throw new DatasetException("the " + name + " shards " + shards.stream().map(Path::getFileName).toList()
                    + " hold no record");
        }
        return new TfRecordSplit(name, root, List.copyOf(shards), gzipped,
                keys, places.stream().mapToInt(p -> p[0]).toArray(), places.stream().mapToInt(p -> p[1]).toArray(),
                offsets.stream().mapToLong(Long::longValue).toArray(),
                labels.stream().mapToInt(Integer::intValue).toArray(), shape);
    }

    private static String where(Path root, Path shard, int record) {
        return "TFRecord shard " + root.relativize(shard) + ", record " + record;
    }

    private static byte[] read(InputStream in, String where) throws IOException, DatasetException {
        try {
            return TfRecords.read(in, MAX_RECORD);
        } catch (TfRecords.CorruptRecord e) {
            throw new DatasetException(where + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static boolean gzipped(Path file) throws DatasetException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new DatasetException("cannot read TFRecord shard " + file + ": " + e, e);
        }
    }

    private static InputStream open(Path shard, boolean gzip) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(shard), 1 << 16);
        return gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }

    @Override
    public boolean randomAccess() {
        for (boolean gzip : gzipped) {
            if (gzip) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String locate(int index) {
        return where(root, shards.get(shardOf[index]), recordInShard[index]);
    }

    @Override
    public void read(int from, int to, ImageSink sink) throws DatasetException {
        for (int i = from; i < to; i++) {
            byte[] data = gzipped[shardOf[i]] ? cursor(shardOf[i]).record(recordInShard[i], locate(i))
                    : inPlace(i);
            ExampleKeys.ImageAndLabel record = parseWith(keys, data, locate(i));
            sink.accept(i, ImageDecoder.decode(record.image(), locate(i), shape().channels()));
        }
    }

    static ExampleKeys.ImageAndLabel parseWith(ExampleKeys keys, byte[] data, String where)
            throws DatasetException {
        try {
            return keys.read(Example.parseFrom(data), where);
        } catch (InvalidProtocolBufferException e) {
            throw new DatasetException(where + " is not a tf.train.Example: " + e.getMessage(), e);
        }
    }

    private byte[] inPlace(int index) throws DatasetException {
        Path shard = shards.get(shardOf[index]);
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ)) {
            // The framing is re-read with the data, so that both checksums are checked again.
            long at = offsets[index] - 12;
            byte[] header = new byte[12];
            ByteBuffer head = ByteBuffer.wrap(header);
            while (head.hasRemaining() && channel.read(head, at + head.position()) >= 0) {
                // Reads until the header is whole or the file ends.
            }
            long length = 0;
            for (int b = 7; b >= 0; b--) {
                length = (length << 8) | (header[b] & 0xFF);
            }
            ByteBuffer record = ByteBuffer.allocate((int) (16 + Math.max(0, Math.min(length, MAX_RECORD))));
            while (record.hasRemaining() && channel.read(record, at + record.position()) >= 0) {
                // Reads until the record is whole or the file ends.
            }
            return read(new java.io.ByteArrayInputStream(record.array(), 0, record.position()), locate(index));
        } catch (IOException e) {
            throw new DatasetException("cannot read " + locate(index) + ": " + e, e);
        }
    }

    private synchronized Cursor cursor(int shard) {
        if (cursors[shard] == null) {
            cursors[shard] = new Cursor(shards.get(shard));
        }
        return cursors[shard];
    }

    /** A GZIP shard's stream, kept where the last read stopped. */
    private static final class Cursor {

        private final Path shard;
        private InputStream in;
        private int next;

        Cursor(Path shard) {
            this.shard = shard;
        }

        synchronized byte[] record(int record, String where) throws DatasetException {
            try {
                if (in == null || record < next) {
                    close();
                    in = open(shard, true);
                    next = 0;
                }
                while (true) {
                    byte[] data = read(in, where);
                    if (data == null) {
                        throw new DatasetException(where + " is missing: the shard ends before it");
                    }
                    if (next++ == record) {
                        return data;
                    }
                }
            } catch (IOException e) {
                close();
                throw new DatasetException("cannot read " + where + ": " + e, e);
            } catch (DatasetException e) {
                close();
                throw e;
            }
        }

        private void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    // A stream that does not close cleanly is simply dropped.
                }
                in = null;
            }
        }
    }
}
