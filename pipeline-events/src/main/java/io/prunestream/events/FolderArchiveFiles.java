package io.prunestream.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Archive files in a folder: each written under a temporary name and renamed into place. */
public final class FolderArchiveFiles implements ArchiveFiles {

    private final Path root;

    public FolderArchiveFiles(Path root) {
        this.root = root;
    }

    @Override
    public Optional<byte[]> read(String run, String name) throws IOException {
        Path file = root.resolve(run).resolve(name);
        return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public void write(String run, String name, byte[] content) throws IOException {
        Path folder = Files.createDirectories(root.resolve(run));
        // One name per writer: two replicas may handle the same record while a partition changes hands.
        Path partial = folder.resolve("." + name + "." + UUID.randomUUID() + ".partial");
        Files.write(partial, content);
        Files.move(partial, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public List<String> runs() throws IOException {
        return children(root, true);
    }

    @Override
    public List<String> names(String run) throws IOException {
        return children(root.resolve(run), false);
    }

    private static List<String> children(Path folder, boolean folders) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(folder)) {
            return paths.filter(p -> folders ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .map(p -> String.valueOf(p.getFileName())).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
