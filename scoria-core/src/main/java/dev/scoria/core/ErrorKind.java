package dev.scoria.core;

/**
 * What went wrong, in terms a front door can translate: the HTTP layer maps each kind to a status
 * code, the CLI to an exit code.
 */
public enum ErrorKind {
    BAD_INPUT,
    UNAUTHORIZED,
    /** A known credential whose role does not allow the call. */
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    UNSUPPORTED_MEDIA_TYPE,
    PAYLOAD_TOO_LARGE,
    NOT_READY,
    OVERLOADED,
    SCORER_FAILED,
    TIMEOUT,
    /** The workspace database cannot be reached: management is unavailable, scoring goes on from memory. */
    STORE_UNAVAILABLE,
    INTERNAL
}
