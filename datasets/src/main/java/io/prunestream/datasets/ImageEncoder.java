package io.prunestream.datasets;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** {@link Image}s to PNG, JPEG or BMP bytes with ImageIO's writers (JPEG at a chosen quality). */
public final class ImageEncoder {

    private ImageEncoder() {
    }

    /** {@code image} as {@code format} ({@code png}, {@code jpg}/{@code jpeg}, {@code bmp}). */
    public static byte[] encode(Image image, String format, float jpegQuality) throws IOException {
        String kind = format.toLowerCase(Locale.ROOT).equals("jpg") ? "jpeg" : format.toLowerCase(Locale.ROOT);
        BufferedImage buffered = buffered(image);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(kind);
        if (!writers.hasNext()) {
            throw new IOException("no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (kind.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(jpegQuality);
            }
            writer.write(null, new IIOImage(buffered, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static BufferedImage buffered(Image image) {
        BufferedImage buffered = new BufferedImage(image.width(), image.height(), image.channels() == 1
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = buffered.getRaster();
        int[] samples = new int[image.pixels().length];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = image.pixels()[i] & 0xFF;
        }
        // Samples go in band order (R, G, B), whatever the order of the bytes in memory.
        raster.setPixels(0, 0, image.width(), image.height(), samples);
        return buffered;
    }
}
