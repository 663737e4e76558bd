package dev.scoria.runtime.python;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a Python worker inherits from the server's environment: an allow-list, never the whole of it.
 * The server's environment holds its own secrets (a database URL with its password, the admin token,
 * every {@code SCORIA_*} setting), and a {@code score.py} is other people's code. Only what an
 * interpreter and its native libraries need to run as the server's user is passed on; the runtime then
 * adds Azure's variables for the script ({@code AZUREML_MODEL_DIR}, …) itself.
 */
final class WorkerEnvironment {

    /** Passed on by exact name. */
    static final Set<String> ALLOWED = Set.of(
            "PATH",
            "HOME",
            "USER",
            "LOGNAME",
            "LANG",
            "LANGUAGE",
            "TZ",
            "TMPDIR",
            // Where the interpreter and native libraries are: a virtualenv or conda environment, CUDA.
            "LD_LIBRARY_PATH",
            "PYTHONPATH",
            "PYTHONHOME",
            "VIRTUAL_ENV",
            "CONDA_PREFIX",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            // Thread counts of the numeric libraries, which an operator sets to match the machine.
            "OMP_NUM_THREADS",
            "MKL_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
            "CUDA_VISIBLE_DEVICES");

    /** Passed on by prefix: the locale's categories. */
    static final String LOCALE_PREFIX = "LC_";

    private WorkerEnvironment() {}

    /** The allowed part of {@code server} (the server's own environment), sorted by name. */
    static Map<String, String> from(Map<String, String> server) {
        Map<String, String> kept = new TreeMap<>();
        server.forEach((name, value) -> {
            if (ALLOWED.contains(name) || name.startsWith(LOCALE_PREFIX)) {
                kept.put(name, value);
            }
        });
        return kept;
    }
}
