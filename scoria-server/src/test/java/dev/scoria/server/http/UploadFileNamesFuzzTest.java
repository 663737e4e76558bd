package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A code upload's multipart filename, whatever the client sends: refused as bad input, or one plain path
 * segment (no slash of either kind, not . or ..) that the file system accepts as a name.
 */
class UploadFileNamesFuzzTest {

    @FuzzTest
    void isOneStorableSegment(byte[] input) {
        // Bytes, not a String parameter, so that checked-in inputs are the raw filename (UTF-8).
        String sent = new String(input, StandardCharsets.UTF_8);
        String name;
        try {
            name = UploadFileNames.codeFileName(sent);
        } catch (ScoriaException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.BAD_INPUT);
            return;
        }
        assertThat(name).isNotBlank().doesNotContain("/", "\\").isNotIn(".", "..");
        assertThat(Path.of(name).getFileName().toString()).isEqualTo(name);
    }
}
