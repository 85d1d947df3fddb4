package io.prunestream.tensorflow.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * The TFRecord framing, as TensorFlow's {@code record_writer.cc} writes it: per record a little-endian 64-bit length,
 * the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data. Reading checks both checksums, so
 * a truncated or bit-flipped record is caught where it is.
 */
public final class TfRecords {

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {
    }

    /** What is wrong with a record, for the caller to name with its shard and number. */
    public static final class CorruptRecord extends Exception {

        CorruptRecord(String message) {
            super(message);
        }
    }

    /** The masked CRC-32C TFRecord stores. */
    static int maskedCrc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + MASK_DELTA;
    }

    /** The next record's data, or null at a clean end of the stream (between records). */
    public static byte[] read(InputStream in, long maxLength) throws IOException, CorruptRecord {
        byte[] header = new byte[12];
        int got = in.readNBytes(header, 0, 12);
        if (got == 0) {
            return null;
        }
        if (got < 12) {
            throw new CorruptRecord("truncated: the stream ends inside its length header (" + got + " of 12 bytes)");
        }
        long length = 0;
        for (int i = 7; i >= 0; i--) {
            length = (length << 8) | (header[i] & 0xFF);
        }
        if (maskedCrc(header, 0, 8) != littleEndianInt(header, 8)) {
            throw new CorruptRecord("its length's checksum does not match (a corrupt or non-TFRecord file)");
        }
        if (length < 0 || length > maxLength) {
            throw new CorruptRecord("it declares " + length + " bytes, more than the " + maxLength + " a record may"
                    + " have");
        }
        byte[] data = new byte[(int) length];
        byte[] footer = new byte[4];
        if (in.readNBytes(data, 0, data.length) < data.length || in.readNBytes(footer, 0, 4) < 4) {
            throw new CorruptRecord("truncated: the stream ends inside its " + length + " bytes of data");
        }
        if (maskedCrc(data, 0, data.length) != littleEndianInt(footer, 0)) {
            throw new CorruptRecord("its data's checksum does not match (bit-flipped or corrupt)");
        }
        return data;
    }

    public static void write(OutputStream out, byte[] data) throws IOException {
        byte[] header = new byte[12];
        long length = data.length;
        for (int i = 0; i < 8; i++) {
            header[i] = (byte) (length >>> (8 * i));
        }
        putLittleEndianInt(header, 8, maskedCrc(header, 0, 8));
        byte[] footer = new byte[4];
        putLittleEndianInt(footer, 0, maskedCrc(data, 0, data.length));
        out.write(header);
        out.write(data);
        out.write(footer);
    }

    /** Whether {@code start} (a file's first 12 bytes) is a TFRecord length header with its checksum. */
    static boolean looksLikeRecord(byte[] start) {
        return start.length >= 12 && maskedCrc(start, 0, 8) == littleEndianInt(start, 8);
    }

    private static int littleEndianInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16
                | (bytes[at + 3] & 0xFF) << 24;
    }

    private static void putLittleEndianInt(byte[] bytes, int at, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (value >> (8 * i));
        }
    }
}
