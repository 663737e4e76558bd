package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A code package (zip) from a user, unpacked as a Python service's source folder: whatever its bytes
 * (corrupt archives, odd or malformed entry names, entries that clash, paths that climb out), it is
 * unpacked or refused as bad input, and nothing is ever written outside the target folder.
 */
class SourcePackageFuzzTest {

    @FuzzTest
    void unpacksInsideOrRefuses(byte[] zip) throws IOException {
        Path sandbox = Files.createTempDirectory("scoria-zip-fuzz");
        Path target = sandbox.resolve("service").resolve("src");
        try {
            try {
                Path script = SourcePackage.unpack("code.zip", zip, null, target);
                assertThat(script).startsWith(target.toRealPath());
            } catch (ScoriaException e) {
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.BAD_INPUT);
            }
            Path root = target.toRealPath();
            for (Path written : everything(sandbox)) {
                if (!written.equals(sandbox) && !written.equals(root.getParent())) {
                    assertThat(written.toRealPath())
                            .as("written outside the target")
                            .startsWith(root);
                }
            }
        } finally {
            delete(sandbox);
        }
    }

    private static List<Path> everything(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.toList();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
