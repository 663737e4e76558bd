package dev.scoria.runtime.java;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.scorer.OnnxModel;
import dev.scoria.scorer.ServiceLogger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ONNX Runtime sessions of one service, made on first use and shared by every scorer instance: a
 * pool of eight scorers must not hold eight copies of the same weights.
 */
final class OnnxSessions implements AutoCloseable {

    private final List<ModelRecord> models;
    private final Path modelDir;
    private final ServiceLogger log;
    private final Map<String, OnnxModelAdapter> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param modelDir where {@link dev.scoria.core.model.ModelDirectory} laid the models out */
    OnnxSessions(List<ModelRecord> models, Path modelDir, ServiceLogger log) {
        this.models = List.copyOf(models);
        this.modelDir = modelDir;
        this.log = log;
    }

    OnnxModel get(String modelName) {
        if (closed) {
            throw new IllegalStateException("the service is shutting down: its ONNX sessions are closed");
        }
        OnnxModelAdapter cached = sessions.get(modelName);
        if (cached != null) {
            return cached;
        }
        // Two instances asking at once for a model not loaded yet: one loads it, the other waits for it.
        synchronized (this) {
            return sessions.computeIfAbsent(modelName, this::open);
        }
    }

    private OnnxModelAdapter open(String modelName) {
        List<ModelRecord> named =
                models.stream().filter(m -> m.name().equals(modelName)).toList();
        if (named.isEmpty()) {
            throw new IllegalArgumentException("the service has no model named '" + modelName + "': its models are "
                    + models.stream().map(m -> m.name() + ":" + m.version()).toList());
        }
        if (named.size() > 1) {
            throw new IllegalArgumentException("the service has " + named.size() + " versions of model '" + modelName
                    + "' ("
                    + named.stream().map(m -> m.name() + ":" + m.version()).toList()
                    + "): context.onnx(name) needs exactly one; deploy with a single version");
        }
        ModelRecord model = named.get(0);
        List<ModelFile> onnxFiles =
                model.files().stream().filter(f -> f.path().endsWith(".onnx")).toList();
        if (onnxFiles.size() != 1) {
            throw new IllegalArgumentException("model " + model.ref()
                    + " must hold exactly one .onnx file for context.onnx();" + " it has " + onnxFiles.size()
                    + " among " + model.files().stream().map(ModelFile::path).toList());
        }
        Path folder =
                models.size() == 1 ? modelDir : modelDir.resolve(model.name()).resolve(String.valueOf(model.version()));
        Path file = folder.resolve(onnxFiles.get(0).path());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Requests already run in parallel, one per scorer thread: threads inside one call would only compete with
            // them.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = env.createSession(file.toString(), options);
            try {
                OnnxModelAdapter adapter = new OnnxModelAdapter(model.name() + ":" + model.version(), env, session);
                log.info("onnx model " + model.name() + ":" + model.version() + " loaded for the scorer: inputs "
                        + adapter.inputNames() + ", outputs " + adapter.outputNames());
                return adapter;
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException(
                    "model " + model.ref() + " is not a model ONNX Runtime can load: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Map.Entry<String, OnnxModelAdapter> entry : sessions.entrySet()) {
            try {
                entry.getValue().close();
            } catch (Exception e) {
                log.warn("could not close the onnx session of model " + entry.getKey() + ": " + e.getMessage());
            }
        }
        sessions.clear();
    }
}
