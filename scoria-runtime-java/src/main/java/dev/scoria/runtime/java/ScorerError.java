package dev.scoria.runtime.java;

/**
 * An {@link Error} a scorer's {@code run} threw (a {@link StackOverflowError}, a {@link NoClassDefFoundError}
 * for a dependency missing from its JAR), carried as an exception so that it is answered like any
 * other scorer failure instead of unwinding a server thread.
 */
final class ScorerError extends Exception {

    ScorerError(Error cause) {
        super("the scorer threw " + cause, cause);
    }
}
