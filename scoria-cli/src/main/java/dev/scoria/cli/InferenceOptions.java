package dev.scoria.cli;

import dev.scoria.client.InferenceConfig;
import dev.scoria.client.Model;
import dev.scoria.client.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What a deployment loads and runs, as {@code service deploy} and {@code deployment create} take it: the
 * runtime (chosen from the code or the models when not named), the code, its entry and settings, and the
 * samples or document the swagger is made from.
 */
final class InferenceOptions {

    @Option(
            names = "--runtime",
            description = "A runtime the server offers (scoria runtime list), e.g. onnx (no code),"
                    + " java (--code and --entry) or python (--code score.py|src.zip or --source-dir). Default: the one"
                    + " that takes --code's kind of file, or that serves the models with no code.")
    String runtime;

    @Option(
            names = "--code",
            paramLabel = "FILE",
            description = "The scorer JAR (java runtime), or the entry script or a zip"
                    + " of its folder (python runtime); uploaded with the deployment.")
    Path code;

    @Option(
            names = "--entry",
            paramLabel = "CLASS|SCRIPT",
            description = "The scorer class in --code, e.g. com.acme.MyScorer (java), or the entry script's path in"
                    + " the source folder (python; default score.py).")
    String entry;

    @Option(
            names = "--source-dir",
            paramLabel = "DIR",
            description = "python runtime: the entry script's folder, zipped and uploaded (instead of --code).")
    Path sourceDir;

    @Option(
            names = "--python",
            paramLabel = "PATH",
            description = "python runtime: the interpreter, e.g. a virtualenv's"
                    + " bin/python (default python3; same as --config python=PATH).")
    String python;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "python runtime: worker processes (default 1; same as --config workers=N).")
    Integer workers;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A setting for the scorer (repeatable).")
    List<String> scorerConfig;

    @Option(
            names = "--input-example",
            paramLabel = "JSON|@FILE",
            description = "A sample request: the swagger input schema"
                    + " is generated from it (an onnx deployment also runs it once when it loads).")
    String inputExample;

    @Option(
            names = "--output-example",
            paramLabel = "JSON|@FILE",
            description = "A sample answer: the swagger output schema.")
    String outputExample;

    @Option(
            names = "--swagger",
            paramLabel = "JSON|@FILE",
            description = "A Swagger 2.0/OpenAPI 3 document to serve instead of a generated one.")
    String swagger;

    /**
     * Refuses, before the server is asked, a deploy that names neither a model nor code nor a runtime: there is
     * nothing to deploy. (A runtime named with no model is the server's to judge: python runs a script alone.)
     *
     * @throws CliErrors.CliFailure (exit 2)
     */
    void requireSomethingToDeploy(List<String> models) {
        boolean noModel = models == null || models.isEmpty();
        if (noModel && code == null && sourceDir == null && runtime == null && python == null && workers == null) {
            throw new CliErrors.CliFailure(
                    "nothing to deploy: give --model NAME:VERSION (a registered model), or --code / --source-dir"
                            + " for an entry script that needs no model",
                    2);
        }
    }

    /**
     * The inference config these options give for {@code models}; without {@code --runtime}, the runtime the
     * server offers that takes the code, or serves the models with no code.
     *
     * @throws CliErrors.CliFailure (exit 2) for options that do not go together or a file that is not there
     */
    InferenceConfig inferenceConfig(Workspace ws, List<Model> models) {
        Path codeFile = code;
        if (codeFile != null && !Files.isRegularFile(codeFile)) {
            throw new CliErrors.CliFailure("--code " + codeFile + " is not a file", 2);
        }
        boolean pythonFlags = sourceDir != null || python != null || workers != null;
        if (sourceDir != null) {
            if (codeFile != null) {
                throw new CliErrors.CliFailure("give --code or --source-dir, not both", 2);
            }
            try {
                codeFile = SourceDirZip.of(sourceDir);
            } catch (IOException e) {
                throw new CliErrors.CliFailure("could not zip --source-dir " + sourceDir + ": " + e.getMessage(), 2);
            }
        }
        if (entry != null && codeFile == null) {
            // Without code the entry would be dropped silently, and the deployment would run something else.
            throw new CliErrors.CliFailure(
                    "--entry " + entry + " names the class or script inside --code, but no code was given: give --code"
                            + " (or --source-dir)",
                    2);
        }
        String chosenRuntime = runtime != null
                ? runtime
                // --python and --workers are the python runtime's own settings: they name it.
                : python != null || workers != null
                        ? "python"
                        : RuntimeChoice.choose(
                                ws.runtimes(),
                                codeFile == null ? null : codeFile.getFileName().toString(),
                                sourceDir != null ? "--source-dir " + sourceDir : "--code " + codeFile,
                                models);
        if (pythonFlags && !chosenRuntime.equals("python")) {
            throw new CliErrors.CliFailure("--source-dir, --python and --workers are for --runtime python", 2);
        }
        Map<String, String> runtimeConfig = new LinkedHashMap<>();
        Map<String, String> given = KeyValues.parse("--config", scorerConfig);
        if (given != null) {
            runtimeConfig.putAll(given);
        }
        if (python != null) {
            runtimeConfig.put("python", python);
        }
        if (workers != null) {
            runtimeConfig.put("workers", String.valueOf(workers));
        }
        InferenceConfig.Builder inference = InferenceConfig.builder();
        if (codeFile != null) {
            inference.javaScorer(codeFile, entry);
        }
        return inference
                .runtime(chosenRuntime)
                .config(given == null && runtimeConfig.isEmpty() ? null : runtimeConfig)
                .inputExample(DataArgument.read("--input-example", inputExample))
                .outputExample(DataArgument.read("--output-example", outputExample))
                .swagger(DataArgument.read("--swagger", swagger))
                .build();
    }
}
