package dev.scoria.core.runtime;

import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.scorer.ServiceLogger;
import java.util.List;

/**
 * What a runtime is given to load a service: its models (files verified on read), its log, and the
 * sample request the user deployed it with (JSON text, or null), which runtimes use to warm up and
 * to fill the swagger examples.
 */
public record LoadContext(String serviceName, List<ModelRecord> models, ArtifactStore artifacts, ServiceLogger log,
        String inputExample) {
}
