package dev.scoria.runtime.python;

/**
 * The entry script's {@code run()} raised: the server answers 502 with {@code x-ms-run-function-failed:
 * True} and writes this to the service log. Its message is the Python traceback; it carries no Java
 * stack trace, which would only bury the user's frames under Scoria's.
 */
public final class PythonRunError extends Exception {

    public PythonRunError(String traceback) {
        super(traceback, null, false, false);
    }
}
