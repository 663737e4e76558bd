package dev.scoria.client;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * One runtime a server offers ({@code onnx}, {@code java}, {@code python}, or any other its class path
 * holds), as {@link Workspace#runtimes()} lists it.
 *
 * @param name what {@link InferenceConfig.Builder#runtime(String)} takes
 * @param description one line saying what it runs
 * @param takesCode whether a deployment gives it code
 * @param codeExtensions the code files it recognises, lowercase with their dot (e.g. {@code .jar}); a source
 *     folder travels as a {@code .zip}
 * @param modelExtensions the model files it serves with no code, lowercase with their dot (e.g. {@code .onnx})
 * @param modelFrameworks the model frameworks it serves with no code, as models name them (e.g. {@code
 *     ScikitLearn})
 */
public record RuntimeInfo(
        String name,
        String description,
        boolean takesCode,
        List<String> codeExtensions,
        List<String> modelExtensions,
        List<String> modelFrameworks) {

    public RuntimeInfo {
        codeExtensions = codeExtensions == null ? List.of() : List.copyOf(codeExtensions);
        modelExtensions = modelExtensions == null ? List.of() : List.copyOf(modelExtensions);
        modelFrameworks = modelFrameworks == null ? List.of() : List.copyOf(modelFrameworks);
    }

    /**
     * Whether this runtime serves, with no code, a model of this framework made of these files: the
     * framework is one it serves, or one of the files has an extension it serves.
     */
    public boolean servesModel(String framework, Collection<String> filePaths) {
        return (framework != null && modelFrameworks.contains(framework)) || servesModelFiles(filePaths);
    }

    /** Whether this runtime recognises a code file of this name (by its extension, in any case). */
    public boolean takesCodeFile(String fileName) {
        return takesCode && endsWithOneOf(fileName, codeExtensions);
    }

    /**
     * Whether this runtime serves, with no code, a model made of these files: one of them has an extension it
     * serves.
     */
    public boolean servesModelFiles(Collection<String> filePaths) {
        return filePaths.stream().anyMatch(path -> endsWithOneOf(path, modelExtensions));
    }

    private static boolean endsWithOneOf(String fileName, List<String> extensions) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return extensions.stream().anyMatch(lower::endsWith);
    }
}
