package dev.scoria.core.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a user sends to register a model: the files (already on local disk) and the metadata. */
public record ModelUpload(
        String name,
        String framework,
        String frameworkVersion,
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        List<UploadedFile> files) {

    /** A file waiting to be registered, with the path it will have inside the model folder. */
    public record UploadedFile(String path, Path content) {}
}
