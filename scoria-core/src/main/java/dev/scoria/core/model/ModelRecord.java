package dev.scoria.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model version. {@code sha256} identifies the whole artifact: for a single file it is
 * the file's digest, for several it is the digest of the sorted "path sha256" manifest.
 *
 * @param framework what made it, in Azure's spelling ({@link ModelFramework}), e.g. {@code ScikitLearn}
 * @param frameworkVersion the framework's version it was made with (e.g. {@code 1.2}), or null when not given
 */
public record ModelRecord(
        String name,
        int version,
        String framework,
        String frameworkVersion,
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        List<ModelFile> files,
        String sha256,
        long size,
        Instant createdTime) {

    public ModelRef ref() {
        return new ModelRef(name, version);
    }
}
