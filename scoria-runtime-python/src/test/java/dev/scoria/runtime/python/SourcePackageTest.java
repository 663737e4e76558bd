package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ScoriaException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcePackageTest {

    @TempDir
    Path dir;

    @Test
    void aLoneScriptIsSavedUnderItsEntryName() throws IOException {
        Path script = SourcePackage.unpack(
                "my_score.py", "x = 1\n".getBytes(StandardCharsets.UTF_8), "score.py", dir.resolve("src"));
        assertThat(script).isEqualTo(dir.resolve("src").toRealPath().resolve("score.py"));
        assertThat(Files.readString(script)).isEqualTo("x = 1\n");
        Path unnamed = SourcePackage.unpack("other.py", new byte[0], null, dir.resolve("src2"));
        assertThat(unnamed.getFileName().toString()).isEqualTo("other.py");
    }

    @Test
    void aZipIsUnpackedWithItsFoldersAndTheEntryFound() throws IOException {
        byte[] zip = zip("score.py", "app/helpers.py", "app/sub/data.txt");
        Path script = SourcePackage.unpack("src.zip", zip, null, dir.resolve("src"));
        assertThat(script.getFileName().toString()).isEqualTo("score.py");
        assertThat(dir.resolve("src/app/sub/data.txt")).isRegularFile();
        assertThat(SourcePackage.unpack("src.zip", zip, "app/helpers.py", dir.resolve("again")))
                .isRegularFile();
    }

    @Test
    void aZipWithoutTheEntryScriptSaysSo() throws IOException {
        byte[] zip = zip("main.py");
        assertThatThrownBy(() -> SourcePackage.unpack("src.zip", zip, null, dir.resolve("src")))
                .isInstanceOf(ScoriaException.class)
                .hasMessageContaining("'score.py' is not in src.zip");
    }

    @Test
    void entriesThatWouldLeaveTheFolderAreRefused() throws IOException {
        for (String evil : new String[] {"../evil.py", "a/../../evil.py", "/etc/evil.py", "..\\evil.py"}) {
            byte[] zip = zip("score.py", evil);
            assertThatThrownBy(() -> SourcePackage.unpack("src.zip", zip, null, dir.resolve("src")))
                    .as(evil)
                    .isInstanceOf(ScoriaException.class)
                    .hasMessageContaining("outside its folder");
        }
        assertThat(dir.resolve("evil.py")).doesNotExist();
        assertThatThrownBy(() -> SourcePackage.unpack("score.py", new byte[0], "../score.py", dir.resolve("src")))
                .isInstanceOf(ScoriaException.class);
    }

    @Test
    void somethingThatIsNotAZipIsRefused() {
        assertThatThrownBy(() -> SourcePackage.unpack(
                        "src.zip", "not a zip".getBytes(StandardCharsets.UTF_8), null, dir.resolve("src")))
                .isInstanceOf(ScoriaException.class)
                .hasMessageContaining("score.py");
    }

    private static byte[] zip(String... names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (String name : names) {
                out.putNextEntry(new ZipEntry(name));
                out.write(("# " + name + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
