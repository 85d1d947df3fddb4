package io.prunestream.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} array (format versions 1 to 3): its element type ({@code descr}), memory order and
 * shape, and how many bytes it takes before the data. Only C-ordered arrays of plain integers are images or labels.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape, int headerBytes) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Reads the header from {@code in}, leaving it at the first data byte; {@code source} names it in errors. */
    static NpyHeader read(InputStream in, String source) throws DatasetException {
        try {
            byte[] start = in.readNBytes(8);
            if (start.length < 8) {
                throw new DatasetException(source + " is not a NumPy array: it holds " + start.length + " bytes");
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (start[i] != MAGIC[i]) {
                    throw new DatasetException(source + " is not a NumPy .npy array: it does not start with"
                            + " \\x93NUMPY");
                }
            }
            int major = start[6];
            int lengthBytes = major == 1 ? 2 : 4;
            byte[] length = in.readNBytes(lengthBytes);
            if (length.length < lengthBytes) {
                throw new EOFException();
            }
            long size = 0;
            for (int i = lengthBytes - 1; i >= 0; i--) {
                size = (size << 8) | (length[i] & 0xFF);
            }
            if (major < 1 || major > 3 || size > 1 << 20) {
                throw new DatasetException(source + " has NumPy format version " + major + " and a " + size
                        + "-byte header; versions 1 to 3 with a header under 1 MB are read");
            }
            byte[] header = in.readNBytes((int) size);
            if (header.length < size) {
                throw new EOFException();
            }
            return parse(new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
                    source, 8 + lengthBytes + (int) size);
        } catch (EOFException e) {
            throw new DatasetException(source + " is truncated: it ends inside its NumPy header", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + source + ": " + e, e);
        }
    }

    private static NpyHeader parse(String header, String source, int headerBytes) throws DatasetException {
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new DatasetException(source + " has a NumPy header that is not a plain array's: " + header.trim());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : shape.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Long.parseLong(part.trim().replace("L", "")));
                } catch (NumberFormatException e) {
                    throw new DatasetException(source + " has a NumPy shape that is not numbers: (" + shape.group(1)
                            + ")", e);
                }
            }
        }
        return new NpyHeader(descr.group(1), fortran.group(1).equals("True"),
                dims.stream().mapToLong(Long::longValue).toArray(), headerBytes);
    }

    /** Bytes per element of an integer type ({@code |u1}, {@code <i8}, ...); 0 for anything else. */
    int integerBytes() {
        if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0 || "iu".indexOf(descr.charAt(1)) < 0) {
            return 0;
        }
        try {
            int bytes = Integer.parseInt(descr.substring(2));
            return bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8 ? bytes : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    boolean bigEndian() {
        return descr.charAt(0) == '>';
    }

    boolean signed() {
        return descr.charAt(1) == 'i';
    }

    long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    String shapeText() {
        return java.util.Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
