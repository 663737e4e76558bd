package dev.scoria.core;

/** An error a user can act on: its message says which field or thing, what was expected and what was seen. */
public class ScoriaException extends RuntimeException {

    private final ErrorKind kind;

    public ScoriaException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ScoriaException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static ScoriaException badInput(String message) {
        return new ScoriaException(ErrorKind.BAD_INPUT, message);
    }

    public static ScoriaException notFound(String message) {
        return new ScoriaException(ErrorKind.NOT_FOUND, message);
    }

    public static ScoriaException conflict(String message) {
        return new ScoriaException(ErrorKind.CONFLICT, message);
    }
}
