package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartBodyTest {

    @TempDir
    Path dir;

    @Test
    void writesFieldsThenFilesWithCrlfDelimitersAndAClosingBoundary() throws Exception {
        Path file = Files.write(dir.resolve("model.onnx"), new byte[] {0, 1, 2, (byte) 0xff});
        MultipartBody body = MultipartBody.builder("b0undary")
                .field("name", "diabetes")
                .file("file", "sub/model.onnx", file)
                .build();

        String expected = "--b0undary\r\n"
                + "Content-Disposition: form-data; name=\"name\"\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "diabetes\r\n"
                + "--b0undary\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"sub/model.onnx\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "\u0000\u0001\u0002\u00ff\r\n"
                + "--b0undary--\r\n";
        assertThat(Bodies.bytes(body.publisher())).isEqualTo(expected.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(body.contentType()).isEqualTo("multipart/form-data; boundary=b0undary");
    }

    @Test
    void announcesItsLengthSoTheUploadIsNotChunked() throws Exception {
        Path file = Files.write(dir.resolve("m.bin"), new byte[1000]);
        var publisher = MultipartBody.builder()
                .field("name", "m")
                .file("file", "m.bin", file)
                .build()
                .publisher();
        assertThat(publisher.contentLength()).isEqualTo(Bodies.bytes(publisher).length);
    }

    @Test
    void fieldValuesAreUtf8() throws Exception {
        MultipartBody body = MultipartBody.builder("x")
                .field("description", "Ridge α=0.4 — ok")
                .build();
        assertThat(new String(Bodies.bytes(body.publisher()), StandardCharsets.UTF_8))
                .contains("\r\n\r\nRidge α=0.4 — ok\r\n");
    }

    @Test
    void aQuoteOrLineBreakInAFileNameCannotEndTheHeader() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[] {1});
        MultipartBody body =
                MultipartBody.builder("x").file("file", "a\"b\r\nc", file).build();
        assertThat(new String(Bodies.bytes(body.publisher()), StandardCharsets.UTF_8))
                .contains("filename=\"a%22b%0D%0Ac\"\r\n");
    }

    @Test
    void generatedBoundariesDiffer() {
        assertThat(MultipartBody.builder().build().boundary())
                .isNotEqualTo(MultipartBody.builder().build().boundary())
                .startsWith("scoria-");
    }

    @Test
    void refusesABoundaryRfc2046Forbids() {
        assertThatThrownBy(() -> MultipartBody.builder("has space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartBody.builder("x".repeat(71))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingFileIsReportedWhenTheBodyIsMade() {
        MultipartBody body = MultipartBody.builder("x")
                .file("file", "gone", dir.resolve("gone"))
                .build();
        assertThatThrownBy(body::publisher)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }
}
