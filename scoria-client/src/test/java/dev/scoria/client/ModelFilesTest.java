package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsUploadedUnderItsOwnName() throws Exception {
        Path file = Files.writeString(dir.resolve("model.onnx"), "m");
        assertThat(ModelFiles.of(file)).containsExactly(new ModelFiles.Entry("model.onnx", file));
    }

    @Test
    void aDirectoryUploadsEveryFileByItsSlashSeparatedRelativePathInOrder() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.createDirectories(model.resolve("weights/extra"));
        Files.createDirectories(model.resolve("empty"));
        Files.writeString(model.resolve("model.onnx"), "m");
        Files.writeString(model.resolve("weights/extra/b.bin"), "b");
        Files.writeString(model.resolve("README.md"), "r");

        assertThat(ModelFiles.of(model))
                .extracting(ModelFiles.Entry::modelPath)
                .containsExactly("README.md", "model.onnx", "weights/extra/b.bin");
        assertThat(ModelFiles.of(model).get(2).file()).isEqualTo(model.resolve("weights/extra/b.bin"));
    }

    @Test
    void anEmptyDirectoryOrAMissingPathIsRefused() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ModelFiles.of(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no files");
        assertThatThrownBy(() -> ModelFiles.of(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }
}
