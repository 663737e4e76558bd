package dev.scoria.client;

/**
 * A call to a Scoria server failed: the server answered with an error, could not be reached, or a
 * deployment ended in a state other than the one asked for.
 *
 * <p>{@link #statusCode()} is the HTTP status of the server's answer, or {@code 0} when there was no
 * answer (the server could not be reached, or the failure was detected by the SDK itself).
 * {@link #serverMessage()} is the {@code message} of the server's JSON error body, verbatim, when
 * there was one; {@link #getMessage()} adds what the SDK was doing.
 */
public class WebserviceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String serverMessage;

    public WebserviceException(String message) {
        this(message, 0, null, null);
    }

    public WebserviceException(String message, Throwable cause) {
        this(message, 0, null, cause);
    }

    public WebserviceException(String message, int statusCode, String serverMessage) {
        this(message, statusCode, serverMessage, null);
    }

    public WebserviceException(String message, int statusCode, String serverMessage, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.serverMessage = serverMessage;
    }

    /** The HTTP status the server answered with, or {@code 0} if there was no HTTP answer. */
    public int statusCode() {
        return statusCode;
    }

    /** The server's own explanation ({@code message} of its error body), or null if it gave none. */
    public String serverMessage() {
        return serverMessage;
    }
}
