package dev.scoria.runtime.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelDirectory;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelFramework;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.runtime.LoadContext;
import dev.scoria.core.runtime.ModelRuntime;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.RuntimeInfo;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.core.schema.SampleSchemas;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.core.service.SchemaSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code python} runtime: an Azure ML entry script, unchanged ({@code --code score.py} or a zip of
 * its source folder, {@code --entry score.py}), run by {@code workers} Python processes of the
 * interpreter the user names. Each worker gets Azure's environment ({@code AZUREML_MODEL_DIR} laid out
 * as Azure lays it out, {@code AZUREML_ENTRY_SCRIPT}, {@code AZUREML_SOURCE_DIRECTORY}, …), imports the
 * script once and calls {@code init()}; the service is Healthy once every worker is ready, Failed if one
 * cannot import the script or its {@code init()} raises (the traceback goes to the service log). Workers
 * get an allow-listed environment ({@link WorkerEnvironment}), not the server's, and contain themselves
 * before the script is imported: their own process group, a memory limit, death with the server.
 * With no code, the deployment's one scikit-learn model is served by the built-in entry script
 * ({@link BuiltInScript}). An entry script needs no model: {@code AZUREML_MODEL_DIR} is then an empty folder.
 */
public final class PythonModelRuntime implements ModelRuntime {

    /** The worker and Scoria's stand-ins for Azure's modules, copied out of this JAR for each service. */
    static final String RESOURCES = "/dev/scoria/runtime/python/";

    static final List<String> WORKER_FILES = List.of(
            "scoria_worker.py",
            "scoria_reaper.py",
            "shims/azureml/__init__.py",
            "shims/azureml/contrib/__init__.py",
            "shims/azureml/contrib/services/__init__.py",
            "shims/azureml/contrib/services/aml_request.py",
            "shims/azureml/contrib/services/aml_response.py",
            "shims/azureml/core/__init__.py",
            "shims/azureml/core/model.py");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "python";
    }

    @Override
    public RuntimeInfo info() {
        return RuntimeInfo.withCode(
                        name(),
                        "an Azure ML entry script (score.py with init() and run(), or a zip of its"
                                + " folder) run by Python worker processes; scikit-learn models with no code",
                        ".py",
                        ".zip")
                .servingFrameworks(ModelFramework.SCIKIT_LEARN);
    }

    /** The code's kind and the settings; whether code is needed depends on the models (see the other validate). */
    @Override
    public void validate(InferenceSpec inference) {
        if (inference.code() != null) {
            String fileName = inference.code().path();
            if (!fileName.toLowerCase(Locale.ROOT).endsWith(".py") && !SourcePackage.isZip(fileName)) {
                throw ScoriaException.badInput(
                        "--code " + fileName + " must be a .py entry script or a .zip of the source folder");
            }
        } else if (inference.entry() != null) {
            throw ScoriaException.badInput("--entry " + inference.entry()
                    + " names a script inside --code, but no code was given: give --code or --source-dir");
        }
        PythonSettings.of(inference);
    }

    /**
     * An entry script runs with any models, none included (Azure deploys a script that needs no model); with no
     * script, the deployment's one model must be a scikit-learn one, served by the built-in script.
     */
    @Override
    public void validate(InferenceSpec inference, List<ModelRecord> models) {
        validate(inference);
        if (inference.code() == null) {
            BuiltInScript.requireServable(models);
        }
    }

    @Override
    public Predictor load(LoadContext context) throws Exception {
        InferenceSpec inference = context.service().inference();
        validate(inference, context.models());
        PythonSettings settings = PythonSettings.of(inference);
        Path workDir = context.workDir();
        Path sourceDir = workDir.resolve("src");
        boolean builtIn = inference.code() == null;
        Path script = builtIn
                ? BuiltInScript.write(sourceDir)
                : SourcePackage.unpack(
                        inference.code().path(),
                        context.artifacts().read(inference.code()),
                        settings.entry(),
                        sourceDir);
        Path modelDir =
                ModelDirectory.materialize(context.models(), context.artifacts(), workDir.resolve("azureml-models"));
        Path runtimeDir = copyWorker(workDir.resolve("scoria-python"));

        ProcessBuilder builder = new ProcessBuilder(
                settings.python(),
                runtimeDir.resolve("scoria_worker.py").toString(),
                runtimeDir.resolve("shims").toString());
        builder.directory(sourceDir.toFile());
        Map<String, String> env = builder.environment();
        // A clean environment: the server's own (its database URL, its admin token) is not the script's business.
        env.clear();
        env.putAll(WorkerEnvironment.from(System.getenv()));
        // Read and removed by the worker before the script is imported.
        env.put("SCORIA_SERVER_PID", String.valueOf(ProcessHandle.current().pid()));
        env.put("SCORIA_MEMORY_LIMIT_MB", String.valueOf(settings.memoryLimitMb()));
        Path realSource = sourceDir.toRealPath();
        env.put("AZUREML_MODEL_DIR", modelDir.toAbsolutePath().toString());
        env.put("AZUREML_SOURCE_DIRECTORY", realSource.toString());
        env.put("AML_APP_ROOT", realSource.toString());
        env.put(
                "AZUREML_ENTRY_SCRIPT",
                realSource.relativize(script.toRealPath()).toString());
        env.put("SERVICE_NAME", context.serviceName());
        env.put("SERVICE_PATH_PREFIX", "/api/v1/service/" + context.serviceName());
        env.put("WORKER_COUNT", String.valueOf(settings.workers()));
        env.put("SCORING_TIMEOUT_MS", String.valueOf(context.service().limits().scoringTimeoutMs()));
        env.put("SCORIA_MODELS", modelList(context.models()));
        // Python's own buffering would hold back print() output; the worker writes whole lines itself.
        env.put("PYTHONUNBUFFERED", "1");
        if (builtIn) {
            env.putAll(BuiltInScript.environment(context.models().get(0), settings.python()));
        }

        context.log()
                .info("starting " + settings.workers() + " python worker(s): " + settings.python() + " running "
                        + env.get("AZUREML_ENTRY_SCRIPT") + " (AZUREML_MODEL_DIR=" + env.get("AZUREML_MODEL_DIR")
                        + ", memoryLimitMb=" + (settings.memoryLimitMb() == 0 ? "none" : settings.memoryLimitMb())
                        + ")");
        WorkerPool pool = WorkerPool.start(
                builder, settings.workers(), settings.initTimeoutMs(), context.serviceName(), context.log());
        try {
            Frames.Frame ready = pool.readyFrame();
            IoSchema schema = schema(
                    context.service().schema(),
                    ready.header(),
                    builtIn ? BuiltInScript.inputSchema() : IoSchema.unknown().input());
            context.log()
                    .info("entry script ready: run() takes "
                            + describe(ready.header().path("mode").asText()));
            return new PythonPredictor(context.serviceName(), pool, schema, settings.memoryLimitMb(), context.log());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static String describe(String mode) {
        return switch (mode) {
            case "raw" -> "the whole request (@rawhttp)";
            case "schema" -> "keyword arguments from a JSON object (@input_schema)";
            default -> "the body as a string";
        };
    }

    /**
     * Each side from the sample given at deploy, else what inference_schema derived, else {@code input} for the
     * input (what the built-in script reads, or "any object") and "any object" for the output.
     */
    private static IoSchema schema(SchemaSpec deployed, ObjectNode ready, ObjectNode input) {
        IoSchema unknown = IoSchema.unknown();
        return new IoSchema(
                side(deployed == null ? null : deployed.inputExample(), ready.get("inputSchema"), input),
                side(deployed == null ? null : deployed.outputExample(), ready.get("outputSchema"), unknown.output()));
    }

    private static ObjectNode side(String sample, JsonNode fromDecorators, ObjectNode fallback) {
        if (sample != null) {
            try {
                return SampleSchemas.fromSample(JSON.readTree(sample));
            } catch (IOException e) {
                throw ScoriaException.badInput("the sample given at deploy is not valid JSON: " + e.getMessage());
            }
        }
        return fromDecorators instanceof ObjectNode object ? object : fallback;
    }

    private static String modelList(List<ModelRecord> models) {
        ArrayNode list = JSON.createArrayNode();
        for (ModelRecord model : models) {
            ArrayNode files = list.addObject()
                    .put("name", model.name())
                    .put("version", model.version())
                    .putArray("files");
            for (ModelFile file : model.files()) {
                files.add(file.path());
            }
        }
        return list.toString();
    }

    private static Path copyWorker(Path target) throws IOException {
        for (String file : WORKER_FILES) {
            Path out = target.resolve(file);
            Files.createDirectories(out.getParent());
            try (InputStream in = PythonModelRuntime.class.getResourceAsStream(RESOURCES + file)) {
                if (in == null) {
                    throw new IOException("missing resource " + RESOURCES + file + " in the python runtime's JAR");
                }
                Files.copy(in, out);
            }
        }
        return target;
    }
}
