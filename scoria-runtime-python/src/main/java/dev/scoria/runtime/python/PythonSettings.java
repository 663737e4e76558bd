package dev.scoria.runtime.python;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.service.InferenceSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code python} runtime's settings, from the deploy request's {@code config}: {@code python} (the
 * interpreter, e.g. a virtualenv's {@code bin/python}; default {@code python3} from the server's PATH),
 * {@code workers} (processes, each with its own copy of the model; default 1, as Azure's
 * {@code WORKER_COUNT}) and {@code initTimeoutSeconds} (how long import + {@code init()} may take; default 600).
 * Unknown keys are refused: a typo would otherwise be silently ignored.
 */
record PythonSettings(String python, int workers, long initTimeoutMs, String entry) {

    static final String DEFAULT_ENTRY = "score.py";
    static final int MAX_WORKERS = 64;
    private static final Set<String> KEYS = Set.of("python", "workers", "initTimeoutSeconds");

    static PythonSettings of(InferenceSpec inference) {
        Map<String, String> config = inference.config();
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw ScoriaException.badInput("unknown python runtime setting(s) " + unknown
                    + ": expected python, workers or" + " initTimeoutSeconds");
        }
        String python = config.getOrDefault("python", "python3").trim();
        if (python.isEmpty()) {
            throw ScoriaException.badInput("config python is empty: give an interpreter such as /usr/bin/python3");
        }
        int workers = whole(config, "workers", 1, 1, MAX_WORKERS);
        long initTimeoutMs = whole(config, "initTimeoutSeconds", 600, 1, 86_400) * 1000L;
        String entry = inference.entry() == null || inference.entry().isBlank()
                ? null
                : inference.entry().trim();
        if (entry != null
                && (!entry.endsWith(".py")
                        || entry.startsWith("/")
                        || entry.contains("\\")
                        || List.of(entry.split("/")).contains(".."))) {
            throw ScoriaException.badInput(
                    "--entry '" + entry + "' must be the path of a .py file inside the code package,"
                            + " such as score.py or src/score.py");
        }
        return new PythonSettings(python, workers, initTimeoutMs, entry);
    }

    private static int whole(Map<String, String> config, String key, int fallback, int min, int max) {
        String text = config.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the allowed range.
        }
        throw ScoriaException.badInput(
                "config " + key + " must be a whole number from " + min + " to " + max + ", saw '" + text + "'");
    }
}
