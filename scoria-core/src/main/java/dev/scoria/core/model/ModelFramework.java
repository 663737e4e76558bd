package dev.scoria.core.model;

import dev.scoria.core.ScoriaException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's framework in Azure ML's spelling ({@code Model.Framework}: {@code Onnx}, {@code ScikitLearn},
 * …), so that a model registered as {@code --framework scikit-learn}, {@code sklearn} or Azure's
 * {@code ScikitLearn} is one framework to the runtimes that serve it with no code.
 */
public final class ModelFramework {

    public static final String ONNX = "Onnx";
    public static final String SCIKIT_LEARN = "ScikitLearn";
    public static final String CUSTOM = "Custom";

    /** The files a scikit-learn model is saved as (pickle or joblib); the built-in entry script loads one. */
    public static final List<String> SCIKIT_LEARN_FILES = List.of(".pkl", ".pickle", ".joblib");

    /** Azure's names, by their lowercase form with dashes, dots and underscores removed. */
    private static final Map<String, String> KNOWN = Map.of(
            "onnx", ONNX,
            "scikitlearn", SCIKIT_LEARN,
            "sklearn", SCIKIT_LEARN,
            "tensorflow", "TensorFlow",
            "pytorch", "PyTorch",
            "custom", CUSTOM,
            "multi", "Multi");

    private static final int MAX_LENGTH = 64;

    private ModelFramework() {}

    /**
     * The framework a user gave, in Azure's spelling when it is one Azure names; any other name is kept
     * as given (a framework no runtime serves with no code is still a fine label).
     */
    public static String canonical(String given) {
        String trimmed = given.trim();
        if (trimmed.isEmpty()
                || trimmed.length() > MAX_LENGTH
                || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw ScoriaException.badInput("framework '" + given + "' is not valid: expected a name of 1-" + MAX_LENGTH
                    + " characters such as Onnx or ScikitLearn (also scikit-learn, sklearn)");
        }
        String key = trimmed.toLowerCase(Locale.ROOT).replaceAll("[-_. ]", "");
        return KNOWN.getOrDefault(key, trimmed);
    }

    /** The framework of a model registered without one: Onnx when a file is {@code .onnx}, else Custom. */
    public static String guess(List<ModelFile> files) {
        return files.stream().anyMatch(f -> f.path().endsWith(".onnx")) ? ONNX : CUSTOM;
    }

    /** Whether a file is saved the way a scikit-learn model is (by its extension, in any case). */
    public static boolean isScikitLearnFile(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return SCIKIT_LEARN_FILES.stream().anyMatch(lower::endsWith);
    }
}
