package io.prunestream.datasets;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * PNG, JPEG, BMP and GIF bytes to {@link Image}s, with ImageIO. The JDK's own reader is tried first and a plugin's
 * (TwelveMonkeys' JPEG reader, for CMYK and YCCK files and some the JDK refuses) only where it fails, so that ordinary
 * files decode as every libjpeg-based decoder does. As Keras, PIL and {@code tf.io.decode_image} do, alpha is dropped
 * (not composited), an embedded colour profile and EXIF orientation are not applied, and 16-bit samples keep their
 * high byte. A grey image (one grey channel, or a palette of greys) decodes to one channel, anything else to RGB.
 */
public final class ImageDecoder {

    /** The most pixels one image may have: 16,384 x 16,384. A header that declares more is refused unread. */
    public static final long MAX_PIXELS = 1L << 28;

    private ImageDecoder() {
    }

    /** Decodes {@code bytes}; {@code source} names them in errors. */
    public static Image decode(byte[] bytes, String source) throws DatasetException {
        return withReader(() -> inMemory(bytes), source, reader -> {
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) {
                throw new DatasetException(source + " declares " + reader.getWidth(0) + "x" + reader.getHeight(0)
                        + " pixels, more than the " + MAX_PIXELS + " an image may have (a decompression bomb?)");
            }
            return fromBuffered(reader.read(0));
        });
    }

    /** Decodes {@code bytes} as an image of {@code channels} channels (1: grey; 3: colour, grey repeated). */
    public static Image decode(byte[] bytes, String source, int channels) throws DatasetException {
        return Channels.withChannels(decode(bytes, source), channels);
    }

    /** Reads {@code in} whole and decodes it. */
    public static Image decode(InputStream in, String source) throws DatasetException {
        try {
            return decode(in.readAllBytes(), source);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The size and channels of an image from its header, without decoding its pixels: {@code [height, width,
     * channels]} as {@link #decode} would give them.
     */
    public static ImageShape peek(byte[] bytes, String source) throws DatasetException {
        return peek(() -> inMemory(bytes), source);
    }

    /**
     * A stream over bytes already in memory. Not {@code ImageIO.createImageInputStream}, which by default caches an
     * input stream in a temporary file: a file written and deleted for every image decoded.
     */
    private static ImageInputStream inMemory(byte[] bytes) {
        return new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
    }

    /** {@link #peek(byte[], String)} of a file, reading no more of it than its header. */
    public static ImageShape peek(java.nio.file.Path file) throws DatasetException {
        return peek(() -> ImageIO.createImageInputStream(file.toFile()), file.toString());
    }

    private interface Opener {
        ImageInputStream open() throws IOException;
    }

    /** What is read from an image once a reader of its format has it as input. */
    private interface ReaderStep<T> {
        T apply(ImageReader reader) throws IOException, DatasetException;
    }

    private static ImageShape peek(Opener opener, String source) throws DatasetException {
        return withReader(opener, source, reader -> {
            Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
            ColorModel model = types.hasNext() ? types.next().getColorModel() : null;
            return ImageShape.of(reader.getHeight(0), reader.getWidth(0), model != null && grey(model) ? 1 : 3);
        });
    }

    /**
     * {@code step} with a reader of each format that takes the input, in {@link #formats} order, until one succeeds;
     * each reader is disposed, and the first format's failure is the one reported.
     */
    private static <T> T withReader(Opener opener, String source, ReaderStep<T> step) throws DatasetException {
        IOException first = null;
        for (ImageReaderSpi format : formats(opener, source)) {
            ImageReader reader = null;
            try (ImageInputStream in = opener.open()) {
                reader = format.createReaderInstance();
                reader.setInput(in, true, true);
                return step.apply(reader);
            } catch (IOException | RuntimeException e) {
                if (first == null) {
                    first = e instanceof IOException io ? io : new IOException(e.toString(), e);
                }
            } catch (OutOfMemoryError e) {
                throw new DatasetException(source + " does not fit in memory once decoded", e);
            } finally {
                if (reader != null) {
                    reader.dispose();
                }
            }
        }
        throw new DatasetException(source + " is not a readable image: " + (first == null ? "unknown"
                : first.getMessage()), first);
    }

    /**
     * The formats whose readers take these bytes, the JDK's own first. Readers are made from them one at a time, a
     * plugin's only where the JDK's fails: making a reader costs more than decoding a small image.
     */
    private static List<ImageReaderSpi> formats(Opener opener, String source) throws DatasetException {
        List<ImageReaderSpi> jdk = new ArrayList<>();
        List<ImageReaderSpi> plugins = new ArrayList<>();
        byte[] start = new byte[8];
        int length = 0;
        try (ImageInputStream in = opener.open()) {
            if (in == null) {
                throw new DatasetException("cannot read " + source);
            }
            in.mark();
            length = Math.max(0, in.read(start));
            in.reset();
            for (Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance()
                    .getServiceProviders(ImageReaderSpi.class, true); it.hasNext();) {
                ImageReaderSpi format = it.next();
                if (canDecode(format, in)) {
                    (format.getClass().getName().startsWith("com.sun.") ? jdk : plugins).add(format);
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + source + ": " + e.getMessage(), e);
        }
        jdk.addAll(plugins);
        if (jdk.isEmpty()) {
            throw new DatasetException(source + " is not an image of a known format (PNG, JPEG, BMP or GIF): it"
                    + " starts " + hex(java.util.Arrays.copyOf(start, length)));
        }
        return jdk;
    }

    /**
     * Whether {@code format} takes the stream, as {@code ImageIO.getImageReaders} asks: a format whose check runs past
     * the end of a short input (the JDK's PNG and GIF checks read 8 and 6 bytes) does not take it.
     */
    private static boolean canDecode(ImageReaderSpi format, ImageInputStream in) throws IOException {
        try {
            return format.canDecodeInput(in);
        } catch (IOException e) {
            return false;
        } finally {
            in.seek(0);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            text.append(String.format("%02x", bytes[i]));
        }
        return text.length() == 0 ? "(empty)" : text.toString();
    }

    private static boolean grey(ColorModel model) {
        if (model instanceof IndexColorModel palette) {
            for (int i = 0; i < palette.getMapSize(); i++) {
                if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
                    return false;
                }
            }
            return true;
        }
        return model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    static Image fromBuffered(BufferedImage decoded) {
        int height = decoded.getHeight();
        int width = decoded.getWidth();
        Image direct = fromBytes(decoded);
        if (direct != null) {
            return direct;
        }
        ColorModel model = decoded.getColorModel();
        Raster raster = decoded.getRaster();
        int pixels = height * width;
        if (model instanceof IndexColorModel palette) {
            int[] indices = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            boolean grey = grey(palette);
            byte[] out = new byte[pixels * (grey ? 1 : 3)];
            for (int p = 0; p < pixels; p++) {
                int i = indices[p];
                if (grey) {
                    out[p] = (byte) palette.getRed(i);
                } else {
                    out[3 * p] = (byte) palette.getRed(i);
                    out[3 * p + 1] = (byte) palette.getGreen(i);
                    out[3 * p + 2] = (byte) palette.getBlue(i);
                }
            }
            return new Image(height, width, grey ? 1 : 3, out);
        }
        int colours = model.getNumColorComponents();
        int type = model.getColorSpace().getType();
        if ((type == ColorSpace.TYPE_GRAY && colours == 1) || (type == ColorSpace.TYPE_RGB && colours == 3)) {
            int shift = raster.getTransferType() == DataBuffer.TYPE_USHORT ? 8 : 0;
            if (raster.getTransferType() != DataBuffer.TYPE_BYTE && shift == 0) {
                return viaRgb(decoded);
            }
            // Samples come in band order (R, G, B for an RGB model, whatever the bytes' order in memory).
            int[] samples = raster.getPixels(0, 0, width, height, (int[]) null);
            int bands = raster.getNumBands();
            byte[] out = new byte[pixels * colours];
            for (int p = 0; p < pixels; p++) {
                for (int c = 0; c < colours; c++) {
                    out[p * colours + c] = (byte) (samples[p * bands + c] >> shift);
                }
            }
            return new Image(height, width, colours, out);
        }
        return viaRgb(decoded);
    }

    /**
     * The two types JPEG and most PNGs decode to, read from the raster's bytes as they lie (no per-sample ints: a
     * 500x375 photo would churn 2 MB of them); null for any other type.
     */
    private static Image fromBytes(BufferedImage decoded) {
        int type = decoded.getType();
        if ((type != BufferedImage.TYPE_3BYTE_BGR && type != BufferedImage.TYPE_BYTE_GRAY)
                || !(decoded.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferByte buffer)
                || !(decoded.getRaster().getSampleModel() instanceof java.awt.image.ComponentSampleModel model)
                || decoded.getRaster().getParent() != null) {
            return null;
        }
        int height = decoded.getHeight();
        int width = decoded.getWidth();
        int channels = type == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
        byte[] data = buffer.getData();
        int[] offsets = model.getBandOffsets();
        int pixelStride = model.getPixelStride();
        int scanline = model.getScanlineStride();
        int base = buffer.getOffset();
        byte[] out = new byte[height * width * channels];
        for (int y = 0; y < height; y++) {
            int row = base + y * scanline;
            int at = y * width * channels;
            for (int x = 0; x < width; x++) {
                int pixel = row + x * pixelStride;
                // Band c is colour c (R, G, B for TYPE_3BYTE_BGR), at its offset within the pixel.
                for (int c = 0; c < channels; c++) {
                    out[at++] = data[pixel + offsets[c]];
                }
            }
        }
        return new Image(height, width, channels, out);
    }

    /** Any other colour model (CMYK through a plugin, packed ints): ImageIO's conversion to sRGB. */
    private static Image viaRgb(BufferedImage decoded) {
        int height = decoded.getHeight();
        int width = decoded.getWidth();
        int[] argb = decoded.getRGB(0, 0, width, height, null, 0, width);
        byte[] out = new byte[argb.length * 3];
        for (int p = 0; p < argb.length; p++) {
            out[3 * p] = (byte) (argb[p] >> 16);
            out[3 * p + 1] = (byte) (argb[p] >> 8);
            out[3 * p + 2] = (byte) argb[p];
        }
        return new Image(height, width, 3, out);
    }
}
