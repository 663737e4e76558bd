package dev.scoria.core.runtime;

import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.scorer.ServiceLogger;
import java.util.List;

/** What a runtime is given to load a service: its models (files verified on read) and its log. */
public record LoadContext(String serviceName, List<ModelRecord> models, ArtifactStore artifacts, ServiceLogger log) {
}
