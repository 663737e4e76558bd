package dev.scoria.core.model;

import dev.scoria.core.artifact.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lays a service's models out on disk as Azure ML lays out {@code AZUREML_MODEL_DIR}: one model's
 * files directly in the folder; several models as {@code <name>/<version>/} folders. Files are
 * verified against their sha256 as they are copied.
 */
public final class ModelDirectory {

    private ModelDirectory() {}

    public static Path materialize(List<ModelRecord> models, ArtifactStore artifacts, Path target) throws IOException {
        Files.createDirectories(target);
        for (ModelRecord model : models) {
            Path folder =
                    models.size() == 1 ? target : target.resolve(model.name()).resolve(String.valueOf(model.version()));
            for (ModelFile file : model.files()) {
                artifacts.copyTo(file, folder.resolve(file.path()));
            }
        }
        return target;
    }
}
