package dev.scoria.client;

/**
 * The named web service does not exist in the workspace (the server answered {@code 404}). Azure's SDK
 * reports the same case as {@code WebserviceNotFound}.
 */
public class WebserviceNotFoundException extends WebserviceException {

    private static final long serialVersionUID = 1L;

    public WebserviceNotFoundException(String message, String serverMessage) {
        super(message, 404, serverMessage);
    }
}
