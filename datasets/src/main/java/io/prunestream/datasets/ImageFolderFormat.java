package io.prunestream.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Class folders of image files, as Keras' {@code image_dataset_from_directory} and torchvision's {@code ImageFolder}
 * read them: {@code <dir>/<split>/<class>/**.{png,jpg,jpeg,bmp,gif}}. Labels are the class folders in sorted order
 * (or the order of the declared classes); files are taken in sorted order, other files are ignored. Every split must
 * hold every class, and no class folder may be empty. Images may differ in size; the split's channels are 3 if any
 * image is in colour (grey ones are then read as colour, as {@code color_mode='rgb'} does), else 1.
 */
public final class ImageFolderFormat implements DatasetFormat {

    public static final String NAME = "image-folders";
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(Path folder) {
        for (Split split : Split.values()) {
            Path dir = folder.resolve(split.label());
            if (Files.isDirectory(dir)) {
                try (Stream<Path> classes = Files.list(dir)) {
                    if (classes.anyMatch(Files::isDirectory)) {
                        return true;
                    }
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public Dataset open(DatasetSpec spec) throws DatasetException {
        Map<Split, Map<String, List<Path>>> found = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>();
        for (Split split : Split.values()) {
            Path dir = spec.dir().resolve(split.label());
            if (Files.isDirectory(dir)) {
                Map<String, List<Path>> classes = classFolders(dir);
                found.put(split, classes);
                names.addAll(classes.keySet());
            }
        }
        if (found.isEmpty() || names.isEmpty()) {
            throw new DatasetException("dataset folder " + spec.dir() + " has no train/<class>/ or test/<class>/"
                    + " folders of images");
        }
        List<String> classes = spec.classes() != null ? spec.classes() : List.copyOf(names);
        for (String name : names) {
            if (!classes.contains(name)) {
                Split where = found.keySet().stream().filter(s -> found.get(s).containsKey(name)).findFirst()
                        .orElseThrow();
                throw new DatasetException(spec.dir().resolve(where.label()).resolve(name) + " is a class folder,"
                        + " but '" + name + "' is not one of the declared classes " + classes);
            }
        }
        ImageSplit train = null;
        ImageSplit test = null;
        for (Map.Entry<Split, Map<String, List<Path>>> entry : found.entrySet()) {
            Path dir = spec.dir().resolve(entry.getKey().label());
            List<Path> files = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                List<Path> images = entry.getValue().get(classes.get(c));
                if (images == null) {
                    throw new DatasetException(dir + " has no folder for class '" + classes.get(c) + "'"
                            + (spec.classes() != null ? " (a declared class)" : " (another split has one)")
                            + ": every split needs every class, or its labels would mean other classes");
                }
                files.addAll(images);
                for (int i = 0; i < images.size(); i++) {
                    labels.add(c);
                }
            }
            ImageSplit split = new FileSplit(entry.getKey().label(), spec.dir(), files,
                    labels.stream().mapToInt(Integer::intValue).toArray());
            if (entry.getKey() == Split.TRAIN) {
                train = split;
            } else {
                test = split;
            }
        }
        return new Dataset(spec.name(), NAME, classes, train, test);
    }

    /** The class folders of {@code split} and their image files, both sorted; an empty class folder is an error. */
    private static Map<String, List<Path>> classFolders(Path split) throws DatasetException {
        Map<String, List<Path>> classes = new LinkedHashMap<>();
        try (Stream<Path> children = Files.list(split)) {
            for (Path folder : children.filter(Files::isDirectory).sorted(Comparator.comparing(p -> String.valueOf(
                    p.getFileName()))).toList()) {
                List<Path> images;
                try (Stream<Path> files = Files.walk(folder)) {
                    images = files.filter(f -> Files.isRegularFile(f) && isImage(f))
                            .sorted(Comparator.comparing(f -> folder.relativize(f).toString())).toList();
                }
                if (images.isEmpty()) {
                    throw new DatasetException("class folder " + folder + " holds no image (" + EXTENSIONS.stream()
                            .sorted().toList() + ")");
                }
                classes.put(String.valueOf(folder.getFileName()), images);
            }
        } catch (IOException e) {
            throw new DatasetException("cannot list " + split + ": " + e, e);
        }
        return classes;
    }

    static boolean isImage(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1)
                .toLowerCase(Locale.ROOT));
    }

    /** A split of image files, each decoded when read; sizes and channels come from every file's header. */
    private static final class FileSplit extends LabeledSplit {

        private final Path root;
        private final List<Path> files;

        FileSplit(String name, Path root, List<Path> files, int[] labels) throws DatasetException {
            super(name, labels, shapeOf(files));
            this.root = root;
            this.files = files;
        }

        private static ImageShape shapeOf(List<Path> files) throws DatasetException {
            ImageShape all = null;
            for (Path file : files) {
                ImageShape one = ImageDecoder.peek(file);
                all = all == null ? one : all.union(one);
            }
            return all;
        }

        @Override
        public void read(int from, int to, ImageSink sink) throws DatasetException {
            for (int i = from; i < to; i++) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(files.get(i));
                } catch (IOException e) {
                    throw new DatasetException("cannot read " + files.get(i) + ": " + e, e);
                }
                sink.accept(i, ImageDecoder.decode(bytes, locate(i), shape().channels()));
            }
        }

        @Override
        public boolean randomAccess() {
            return true;
        }

        @Override
        public String locate(int index) {
            return root.relativize(files.get(index)).toString();
        }
    }
}
