package dev.scoria.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A model file's name as a multipart upload gives it (the part's filename, which a client may set to
 * anything): refused as bad input, or a relative path that stays inside the model folder it is later
 * copied into, and that this system can store (no NUL, no climbing out with {@code ..}).
 */
class ModelFilePathFuzzTest {

    private static final Path FOLDER = Path.of("/srv/scoria/work/azureml-models");

    @FuzzTest
    void staysInsideTheModelFolder(byte[] input) {
        // Bytes, not a String parameter, so that checked-in inputs are the raw filename (UTF-8).
        String sent = new String(input, StandardCharsets.UTF_8);
        String path;
        try {
            path = ModelRegistry.requireSafePath(sent);
        } catch (ScoriaException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.BAD_INPUT);
            return;
        }
        Path resolved = FOLDER.resolve(path).normalize();
        // Path.startsWith compares names (AssertJ's would look for the files on disk).
        assertThat(resolved.startsWith(FOLDER) && !resolved.equals(FOLDER))
                .as("'%s' resolves to %s, not a file inside %s", sent, resolved, FOLDER)
                .isTrue();
    }
}
