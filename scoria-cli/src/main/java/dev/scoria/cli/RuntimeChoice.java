package dev.scoria.cli;

import dev.scoria.client.Model;
import dev.scoria.client.ModelFile;
import dev.scoria.client.RuntimeInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code service deploy} without {@code --runtime}: the runtime the server offers that takes the code
 * file's kind, or, with no code, the one that serves the models' files. Nothing is guessed here: each
 * runtime says what it takes ({@code GET /api/v1/runtimes}), so a new runtime needs no change to the CLI.
 */
final class RuntimeChoice {

    private RuntimeChoice() {}

    /**
     * @param codeFile the code file's name ({@code --source-dir} travels as a {@code .zip}), or null for no code
     * @param given how the user gave the code, for messages, e.g. {@code --code scorer.jar}
     */
    static String choose(List<RuntimeInfo> offered, String codeFile, String given, List<Model> models) {
        if (codeFile != null) {
            List<String> matches = offered.stream()
                    .filter(r -> r.takesCodeFile(codeFile))
                    .map(RuntimeInfo::name)
                    .toList();
            return one(
                    matches,
                    offered,
                    "no runtime on the server takes " + given,
                    "give a file one of them takes",
                    "take " + given);
        }
        if (models.isEmpty()) {
            throw new CliErrors.CliFailure(
                    "nothing to deploy: give --model NAME:VERSION, or --code for a runtime that runs code ("
                            + describe(offered) + ")",
                    2);
        }
        List<String> matches = offered.stream()
                .filter(r -> models.stream().allMatch(m -> r.servesModel(m.framework(), paths(m))))
                .map(RuntimeInfo::name)
                .toList();
        String what = String.join(
                ", ",
                models.stream()
                        .map(m -> m.id() + " (" + m.framework() + ": " + filesOf(m) + ")")
                        .toList());
        return one(
                matches,
                offered,
                "no runtime on the server serves " + what + " with no code",
                "give --code for one that runs code",
                "serve " + what);
    }

    private static String one(
            List<String> matches, List<RuntimeInfo> offered, String none, String remedy, String what) {
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new CliErrors.CliFailure(
                    none + "; it offers " + describe(offered) + ". " + capitalized(remedy)
                            + ", or name a runtime with --runtime",
                    2);
        }
        throw new CliErrors.CliFailure(
                "runtimes " + String.join(", ", matches) + " all " + what + ": choose one with --runtime", 2);
    }

    /** What each runtime takes, in one line: {@code java (takes --code .jar), onnx (serves .onnx models with no code)}. */
    static String describe(List<RuntimeInfo> offered) {
        if (offered.isEmpty()) {
            return "no runtime";
        }
        List<String> each = new ArrayList<>();
        for (RuntimeInfo r : offered) {
            List<String> parts = new ArrayList<>();
            if (r.takesCode()) {
                parts.add(
                        r.codeExtensions().isEmpty()
                                ? "takes --code"
                                : "takes --code " + String.join(" or ", r.codeExtensions())
                                        + (r.codeExtensions().contains(".zip") ? " or --source-dir" : ""));
            }
            List<String> noCode = new ArrayList<>(r.modelExtensions());
            noCode.addAll(r.modelFrameworks());
            if (!noCode.isEmpty()) {
                parts.add("serves " + String.join(" or ", noCode) + " models with no code");
            }
            each.add(r.name() + " (" + (parts.isEmpty() ? "says nothing of what it takes" : String.join("; ", parts))
                    + ")");
        }
        return String.join(", ", each);
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The model's files, the first few of a large folder. */
    private static String filesOf(Model model) {
        List<String> paths = paths(model);
        return paths.size() <= 5
                ? String.join(", ", paths)
                : String.join(", ", paths.subList(0, 5)) + " and " + (paths.size() - 5) + " more";
    }

    private static List<String> paths(Model model) {
        return model.files().stream().map(ModelFile::path).toList();
    }
}
