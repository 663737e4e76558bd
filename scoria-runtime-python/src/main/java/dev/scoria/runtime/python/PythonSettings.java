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
 * {@code WORKER_COUNT}), {@code initTimeoutSeconds} (how long import + {@code init()} may take; default 600)
 * and {@code memoryLimitMb} (each worker's data memory, enforced by the kernel; default 1024, 0 for none).
 * Unknown keys are refused: a typo would otherwise be silently ignored.
 */
record PythonSettings(String python, int workers, long initTimeoutMs, int memoryLimitMb, String entry) {

    static final String DEFAULT_ENTRY = "score.py";
    static final int MAX_WORKERS = 64;
    /** Twice Azure's default container memory (0.5 GB) per worker: room for a scikit-learn model and its data. */
    static final int DEFAULT_MEMORY_LIMIT_MB = 1024;
    /** Below this an interpreter cannot even import numpy: a smaller limit is a typo, not a choice. */
    static final int MIN_MEMORY_LIMIT_MB = 64;

    static final int MAX_MEMORY_LIMIT_MB = 1 << 20;
    private static final Set<String> KEYS = Set.of("python", "workers", "initTimeoutSeconds", "memoryLimitMb");

    static PythonSettings of(InferenceSpec inference) {
        Map<String, String> config = inference.config();
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw ScoriaException.badInput("unknown python runtime setting(s) " + unknown
                    + ": expected python, workers, initTimeoutSeconds or memoryLimitMb");
        }
        String python = config.getOrDefault("python", "python3").trim();
        if (python.isEmpty()) {
            throw ScoriaException.badInput("config python is empty: give an interpreter such as /usr/bin/python3");
        }
        int workers = whole(config, "workers", 1, 1, MAX_WORKERS);
        long initTimeoutMs = whole(config, "initTimeoutSeconds", 600, 1, 86_400) * 1000L;
        int memoryLimitMb = whole(config, "memoryLimitMb", DEFAULT_MEMORY_LIMIT_MB, 0, MAX_MEMORY_LIMIT_MB);
        if (memoryLimitMb > 0 && memoryLimitMb < MIN_MEMORY_LIMIT_MB) {
            throw ScoriaException.badInput("config memoryLimitMb must be 0 (no limit) or from " + MIN_MEMORY_LIMIT_MB
                    + " to " + MAX_MEMORY_LIMIT_MB + " (MiB per worker), saw '" + config.get("memoryLimitMb") + "'");
        }
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
        return new PythonSettings(python, workers, initTimeoutMs, memoryLimitMb, entry);
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
