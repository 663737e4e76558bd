package dev.scoria.core.runtime;

import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.scorer.ServiceLogger;
import java.nio.file.Path;
import java.util.List;

/**
 * What a runtime is given to load a service: its record (inference settings, samples, limits), its
 * models (files verified on read), its log, and a private working directory for files it must
 * unpack (emptied before each load).
 */
public record LoadContext(
        ServiceRecord service, List<ModelRecord> models, ArtifactStore artifacts, ServiceLogger log, Path workDir) {

    public String serviceName() {
        return service.name();
    }

    /** The sample request given at deploy (JSON text), or null. */
    public String inputExample() {
        return service.schema().inputExample();
    }
}
