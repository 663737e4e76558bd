package dev.scoria.core.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a runtime tells users about itself ({@code GET /api/v1/runtimes}, {@code scoria runtime list}),
 * and what lets a client pick a runtime when none is named: the code files it takes, and the model
 * files it serves with no code.
 *
 * @param name the name users give with {@code --runtime}: lowercase letters, digits and dashes
 * @param description one line saying what it runs
 * @param takesCode whether a deployment gives it user code ({@code --code})
 * @param codeExtensions the code file kinds it recognises, lowercase with their dot (e.g. {@code .jar}); a
 *     folder travels as a {@code .zip}, so {@code .zip} means it takes a source folder too
 * @param modelExtensions the model files it serves with no code, lowercase with their dot (e.g. {@code .onnx})
 * @param modelFrameworks the model frameworks it serves with no code, in Azure's spelling (e.g. {@code
 *     ScikitLearn}): a model registered with one of them needs no code, whatever its files are named
 */
public record RuntimeInfo(
        String name,
        String description,
        boolean takesCode,
        List<String> codeExtensions,
        List<String> modelExtensions,
        List<String> modelFrameworks) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern EXTENSION = Pattern.compile("\\.[a-z0-9][a-z0-9._-]*");

    public RuntimeInfo {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("runtime name '" + name
                    + "' is not valid: expected 1-32 lowercase letters, digits or dashes, starting with a letter");
        }
        if (description == null || description.isBlank() || description.contains("\n")) {
            throw new IllegalArgumentException(
                    "runtime '" + name + "' description must be one non-blank line, was '" + description + "'");
        }
        codeExtensions = extensions(name, "codeExtensions", codeExtensions);
        modelExtensions = extensions(name, "modelExtensions", modelExtensions);
        modelFrameworks = modelFrameworks == null ? List.of() : List.copyOf(modelFrameworks);
        for (String framework : modelFrameworks) {
            if (framework.isBlank()) {
                throw new IllegalArgumentException("runtime '" + name + "' lists a blank model framework");
            }
        }
        if (!takesCode && !codeExtensions.isEmpty()) {
            throw new IllegalArgumentException(
                    "runtime '" + name + "' takes no code but lists codeExtensions " + codeExtensions);
        }
    }

    /** A runtime that takes no code and serves model files with these extensions. */
    public static RuntimeInfo noCode(String name, String description, String... modelExtensions) {
        return new RuntimeInfo(name, description, false, List.of(), List.of(modelExtensions), List.of());
    }

    /** A runtime that runs user code given as files with these extensions. */
    public static RuntimeInfo withCode(String name, String description, String... codeExtensions) {
        return new RuntimeInfo(name, description, true, List.of(codeExtensions), List.of(), List.of());
    }

    /** The same, also serving models of these frameworks (Azure's spelling, e.g. {@code ScikitLearn}) with no code. */
    public RuntimeInfo servingFrameworks(String... frameworks) {
        return new RuntimeInfo(name, description, takesCode, codeExtensions, modelExtensions, List.of(frameworks));
    }

    private static List<String> extensions(String name, String field, List<String> given) {
        if (given == null) {
            return List.of();
        }
        for (String extension : given) {
            if (extension == null
                    || !EXTENSION.matcher(extension).matches()
                    || !extension.equals(extension.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("runtime '" + name + "' " + field + " entry '" + extension
                        + "' is not valid: expected a lowercase extension with its dot, e.g. .onnx");
            }
        }
        return List.copyOf(given);
    }
}
