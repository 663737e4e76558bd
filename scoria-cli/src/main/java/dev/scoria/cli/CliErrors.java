package dev.scoria.cli;

import dev.scoria.client.WebserviceException;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import java.io.IOException;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns what went wrong into one line a user can act on, and the documented exit code. */
final class CliErrors implements IExecutionExceptionHandler {

    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    /**
     * Builds what the SDK makes of values taken from the command line. The SDK checks its arguments with
     * IllegalArgumentException; here every argument came from the user, so its refusal is a usage error (exit 2)
     * rather than the generic failure it would otherwise be reported as.
     */
    static <T> T fromCommandLine(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), USAGE);
        }
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        var err = cli.getErr();
        if (e instanceof CommandLine.ParameterException pe) {
            err.println("scoria: " + pe.getMessage());
            return 2;
        }
        if (e instanceof WebserviceException we) {
            // Status 0 means no HTTP answer carried the message (e.g. a deployment that ended Failed).
            err.println("scoria: "
                    + (we.serverMessage() != null
                            ? we.serverMessage() + (we.statusCode() > 0 ? " (HTTP " + we.statusCode() + ")" : "")
                            : we.getMessage()));
            return we.statusCode() == 0 && we.getCause() instanceof IOException ? UNREACHABLE : FAILED;
        }
        if (e instanceof ScoriaException se && se.kind() == ErrorKind.STORE_UNAVAILABLE) {
            err.println("scoria: " + se.getMessage());
            return UNREACHABLE;
        }
        if (e instanceof CliFailure failure) {
            err.println("scoria: " + failure.getMessage());
            return failure.exitCode();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("scoria: " + message);
        if (System.getenv("SCORIA_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return FAILED;
    }

    /** A failure the CLI itself detects (a file missing, a deployment that ended Failed). */
    static final class CliFailure extends RuntimeException {
        private final int exitCode;

        CliFailure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
