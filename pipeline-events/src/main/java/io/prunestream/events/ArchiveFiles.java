package io.prunestream.events;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where an {@link EventArchive} keeps its files, {@code <run>/<name>}: a folder of this machine
 * ({@link FolderArchiveFiles}) or a bucket every replica shares (model-store's). A file is written whole or not at
 * all; two writers of one name leave one whole file.
 */
public interface ArchiveFiles {

    Optional<byte[]> read(String run, String name) throws IOException;

    void write(String run, String name, byte[] content) throws IOException;

    /** The runs that hold files. */
    List<String> runs() throws IOException;

    /** The names of one run's files. */
    List<String> names(String run) throws IOException;
}
