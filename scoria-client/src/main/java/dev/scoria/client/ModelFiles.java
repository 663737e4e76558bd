package dev.scoria.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a model path uploads: a file is one file at the top of the model; a directory is every regular
 * file under it, named by its path relative to the directory with {@code /} separators (as on the server,
 * whatever the client's platform), in a stable order.
 */
final class ModelFiles {

    /** One file to upload: where it is on disk and what it is called inside the model. */
    record Entry(String modelPath, Path file) {}

    private ModelFiles() {}

    static List<Entry> of(Path modelPath) {
        if (Files.isRegularFile(modelPath)) {
            return List.of(new Entry(modelPath.getFileName().toString(), modelPath));
        }
        if (!Files.isDirectory(modelPath)) {
            throw new IllegalArgumentException("model path " + modelPath.toAbsolutePath() + " does not exist");
        }
        List<Entry> entries;
        try (Stream<Path> walk = Files.walk(modelPath)) {
            entries = walk.filter(Files::isRegularFile)
                    .map(file -> new Entry(relative(modelPath, file), file))
                    .sorted(Comparator.comparing(Entry::modelPath))
                    .collect(Collectors.toUnmodifiableList());
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the model directory " + modelPath.toAbsolutePath(), e);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("model directory " + modelPath.toAbsolutePath() + " has no files");
        }
        return entries;
    }

    private static String relative(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder joined = new StringBuilder();
        for (Path part : rel) {
            if (joined.length() > 0) {
                joined.append('/');
            }
            joined.append(part);
        }
        return joined.toString();
    }
}
