package io.prunestream.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JPEG decoding checked against an independent decoder, libjpeg-turbo's {@code djpeg} (Debian's libjpeg-turbo-progs,
 * which CI installs): within 2 levels per channel on every pixel, colour and grey, baseline and progressive.
 */
class JpegDecodingTest {

    private static final Path DJPEG = Path.of("/usr/bin/djpeg");
    private static final Path CJPEG = Path.of("/usr/bin/cjpeg");

    @TempDir
    Path temp;

    @Test
    void imageIoDecodesAsLibjpegDoes() throws Exception {
        assumeTrue(Files.isExecutable(DJPEG), "djpeg is not installed (apt-get install libjpeg-turbo-progs)");
        LabeledImages scenes = ColourScenes.of(SyntheticImages.generate(12, 28, 8), 32, 3);
        for (int i = 0; i < scenes.count(); i++) {
            byte[] jpeg = ImageEncoder.encode(scenes.image(i), "jpg", 0.9f);
            assertWithinTwoLevels(jpeg, "scene " + i);
        }
        Image grey = new Image(40, 24, 1, java.util.Arrays.copyOf(SyntheticImages.generate(1, 40, 4).pixels(), 960));
        assertWithinTwoLevels(ImageEncoder.encode(grey, "jpg", 0.8f), "grey");
    }

    @Test
    void aProgressiveJpegFromCjpegDecodesAsDjpegDoes() throws Exception {
        assumeTrue(Files.isExecutable(DJPEG) && Files.isExecutable(CJPEG), "libjpeg-turbo-progs is not installed");
        LabeledImages scenes = ColourScenes.of(SyntheticImages.generate(1, 28, 5), 32, 9);
        Path ppm = temp.resolve("in.ppm");
        Files.write(ppm, ppm(scenes.image(0)));
        Path jpeg = temp.resolve("progressive.jpg");
        run(CJPEG.toString(), "-progressive", "-quality", "85", "-outfile", jpeg.toString(), ppm.toString());
        assertWithinTwoLevels(Files.readAllBytes(jpeg), "progressive");
    }

    private void assertWithinTwoLevels(byte[] jpeg, String what) throws Exception {
        Image ours = ImageDecoder.decode(jpeg, what);
        Path file = temp.resolve("x.jpg");
        Files.write(file, jpeg);
        Path out = temp.resolve("x.pnm");
        run(DJPEG.toString(), "-pnm", "-outfile", out.toString(), file.toString());
        Image theirs = pnm(Files.readAllBytes(out));
        assertThat(theirs.shape()).isEqualTo(ours.shape());
        int worst = 0;
        for (int p = 0; p < ours.pixels().length; p++) {
            worst = Math.max(worst, Math.abs((ours.pixels()[p] & 0xFF) - (theirs.pixels()[p] & 0xFF)));
        }
        assertThat(worst).as("%s: largest difference from djpeg", what).isLessThanOrEqualTo(2);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    /** A binary PGM (P5) or PPM (P6) with maxval 255. */
    private static Image pnm(byte[] bytes) {
        int[] at = {0};
        String magic = token(bytes, at);
        int width = Integer.parseInt(token(bytes, at));
        int height = Integer.parseInt(token(bytes, at));
        token(bytes, at);
        int channels = magic.equals("P6") ? 3 : 1;
        byte[] pixels = java.util.Arrays.copyOfRange(bytes, at[0] + 1, at[0] + 1 + width * height * channels);
        return new Image(height, width, channels, pixels);
    }

    private static String token(byte[] bytes, int[] at) {
        while (Character.isWhitespace(bytes[at[0]])) {
            at[0]++;
        }
        int start = at[0];
        while (!Character.isWhitespace(bytes[at[0]])) {
            at[0]++;
        }
        return new String(bytes, start, at[0] - start, StandardCharsets.US_ASCII);
    }

    private static byte[] ppm(Image image) {
        byte[] header = ("P6\n" + image.width() + " " + image.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(header, header.length + image.pixels().length);
        System.arraycopy(image.pixels(), 0, out, header.length, image.pixels().length);
        return out;
    }
}
