package dev.scoria.runtime.python;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelFramework;
import dev.scoria.core.model.ModelRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry script Scoria supplies when a deployment gives none: a scikit-learn model served with no code
 * ({@code builtin/scoria_sklearn.py}, shipped in this JAR), as Azure ML v1 serves a model registered with
 * {@code model_framework=ScikitLearn}. It runs in the same worker as a user's script, so workers, limits,
 * logs and failures behave the same.
 */
final class BuiltInScript {

    static final String RESOURCE = PythonModelRuntime.RESOURCES + "builtin/scoria_sklearn.py";
    static final String FILE_NAME = "scoria_sklearn.py";

    private BuiltInScript() {}

    /** Refuses, before anything is stored, models the built-in script cannot serve. */
    static void requireServable(List<ModelRecord> models) {
        if (models.size() == 1 && models.get(0).framework().equals(ModelFramework.SCIKIT_LEARN)) {
            return;
        }
        String given = models.isEmpty()
                ? "none"
                : String.join(
                        ", ",
                        models.stream()
                                .map(m -> m.ref() + " (framework " + m.framework() + ")")
                                .toList());
        throw ScoriaException.badInput("the python runtime needs --code (an entry script such as score.py, or"
                + " --source-dir), unless the deployment has exactly one model registered with framework"
                + " ScikitLearn (--framework scikit-learn), which it serves with no code; models given: " + given);
    }

    /**
     * What the script reads, for the swagger document of a deployment given no sample: {@code {"data": [[number,
     * …], …]}}, with {@code method} optional. A sample given at deploy (--input-example) says more and wins.
     */
    static ObjectNode inputSchema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode data = properties.putObject("data").put("type", "array");
        data.put("description", "one list of feature values per row");
        data.putObject("items").put("type", "array").putObject("items").put("type", "number");
        properties
                .putObject("method")
                .put("type", "string")
                .put("description", "the model's method to call (default predict)")
                .putArray("enum")
                .add("predict")
                .add("predict_proba")
                .add("predict_log_proba")
                .add("decision_function");
        schema.putArray("required").add("data");
        return schema;
    }

    /** Writes the script into the (empty) source folder and answers its path there. */
    static Path write(Path sourceDir) throws IOException {
        Files.createDirectories(sourceDir);
        Path script = sourceDir.resolve(FILE_NAME);
        try (InputStream in = BuiltInScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("missing resource " + RESOURCE + " in the python runtime's JAR");
            }
            Files.copy(in, script);
        }
        return script;
    }

    /**
     * What the script reads besides Azure's variables: the model's file, its registered framework version, and
     * the interpreter as the user named it (for messages: {@code sys.executable} may be what a wrapper ran).
     */
    static Map<String, String> environment(ModelRecord model, String python) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SCORIA_PYTHON", python);
        env.put(
                "SCORIA_MODEL_FILE",
                model.files().stream()
                        .map(ModelFile::path)
                        .filter(ModelFramework::isScikitLearnFile)
                        .findFirst()
                        .orElseThrow(() -> ScoriaException.badInput("model " + model.ref()
                                + " is registered as ScikitLearn but holds no .pkl, .pickle or .joblib file")));
        if (model.frameworkVersion() != null) {
            env.put("SCORIA_MODEL_FRAMEWORK_VERSION", model.frameworkVersion());
        }
        return env;
    }
}
