package dev.scoria.runtime.java;

import dev.scoria.scorer.OnnxModel;
import dev.scoria.scorer.ScorerContext;
import dev.scoria.scorer.ServiceLogger;
import java.nio.file.Path;
import java.util.Map;

/** What every instance of a service's scorer is given at {@code init}; one per service, shared. */
record JavaScorerContext(
        Path modelDir, String serviceName, Map<String, String> config, ServiceLogger logger, OnnxSessions sessions)
        implements ScorerContext {

    JavaScorerContext {
        config = Map.copyOf(config);
    }

    @Override
    public OnnxModel onnx(String modelName) {
        return sessions.get(modelName);
    }
}
