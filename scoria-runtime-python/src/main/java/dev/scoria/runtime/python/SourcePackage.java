package dev.scoria.runtime.python;

import dev.scoria.core.ScoriaException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The user's source directory, as Azure ML's {@code source_directory}: a single {@code .py} file, or a
 * zip of a folder, unpacked under the service's work directory. Zip entries that would land outside it
 * (absolute paths, {@code ..}) are refused, as are archives that inflate past {@link #MAX_BYTES}.
 */
final class SourcePackage {

    /** Far more than any source folder; a bound against a zip bomb filling the disk. */
    static final long MAX_BYTES = 2L * 1024 * 1024 * 1024;

    static final int MAX_ENTRIES = 100_000;

    private SourcePackage() {}

    static boolean isZip(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /**
     * Writes the package into {@code target} and answers the entry script's path there.
     *
     * @param fileName the uploaded file's name (a .py or a .zip)
     * @param entry the entry script's path inside the package, or null for the default
     */
    static Path unpack(String fileName, byte[] bytes, String entry, Path target) throws IOException {
        Files.createDirectories(target);
        Path root = target.toRealPath();
        if (!isZip(fileName)) {
            // A lone script is saved under the entry's name when one is given, so --entry always names it.
            String name =
                    entry != null ? entry : Path.of(fileName).getFileName().toString();
            Path script = inside(root, name);
            Files.createDirectories(script.getParent());
            Files.write(script, bytes);
            return script;
        }
        long total = 0;
        int count = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry item;
            while ((item = zip.getNextEntry()) != null) {
                if (++count > MAX_ENTRIES) {
                    throw ScoriaException.badInput("the code package has more than " + MAX_ENTRIES + " entries");
                }
                Path path = inside(root, item.getName());
                if (item.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (Files.isDirectory(path)) {
                    throw ScoriaException.badInput("the code package " + fileName
                            + " holds both a file and a folder at '" + root.relativize(path) + "'");
                }
                total += copy(zip, path, MAX_BYTES - total);
            }
        } catch (ZipException | EOFException e) {
            throw ScoriaException.badInput("the code package " + fileName + " is not a valid zip: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // ZipInputStream's answer to an entry name that is not valid UTF-8.
            throw ScoriaException.badInput(
                    "the code package " + fileName + " has an entry name that is not UTF-8: " + e.getMessage());
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            // Two entries that cannot both exist: a file "a" and a folder "a/" (or "a/b"), in either order.
            throw ScoriaException.badInput("the code package " + fileName + " holds both a file and a folder at '"
                    + root.relativize(Path.of(e.getFile())) + "'");
        }
        Path script = inside(root, entry != null ? entry : "score.py");
        if (!Files.isRegularFile(script)) {
            throw ScoriaException.badInput("the entry script '" + (entry != null ? entry : "score.py") + "' is not in "
                    + fileName + ": give its path inside the zip with --entry");
        }
        return script;
    }

    /** {@code name} resolved under {@code root}, refused if it would leave it. */
    static Path inside(Path root, String name) {
        String cleaned = name.replace('\\', '/');
        Path path;
        try {
            path = root.resolve(cleaned).normalize();
        } catch (InvalidPathException e) {
            throw ScoriaException.badInput(
                    "the code package holds a path this system cannot store: '" + name + "' (" + e.getReason() + ")");
        }
        if (cleaned.startsWith("/") || !path.startsWith(root) || path.equals(root)) {
            throw ScoriaException.badInput("the code package holds a path outside its folder: '" + name + "'");
        }
        return path;
    }

    private static long copy(InputStream in, Path target, long budget) throws IOException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (var out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > budget) {
                    throw ScoriaException.badInput("the code package inflates to more than " + MAX_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
    }
}
