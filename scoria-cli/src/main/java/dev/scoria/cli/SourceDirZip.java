package dev.scoria.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code service deploy --source-dir DIR}: the folder zipped into a temporary file, uploaded as the
 * python runtime's code package (Azure ML's {@code source_directory}). Paths are stored relative to the
 * folder with '/' separators; caches that only slow the upload ({@code __pycache__}, {@code .git}) are left out.
 */
final class SourceDirZip {

    private static final List<String> SKIPPED = List.of("__pycache__", ".git");

    private SourceDirZip() {}

    /** The zip, in a fresh temporary folder removed when the JVM exits. */
    static Path of(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new CliErrors.CliFailure("--source-dir " + dir + " is not a folder", 2);
        }
        Path tmp = Files.createTempDirectory("scoria-source-");
        String name = dir.toAbsolutePath().normalize().getFileName() == null
                ? "source"
                : dir.toAbsolutePath().normalize().getFileName().toString();
        Path zip = tmp.resolve(name + ".zip");
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file);
                Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = dir.relativize(p);
                if (SKIPPED.stream()
                        .anyMatch(skip -> relative.toString().replace('\\', '/').contains(skip))) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(relative.toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        zip.toFile().deleteOnExit();
        tmp.toFile().deleteOnExit();
        return zip;
    }
}
