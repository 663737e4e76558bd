package dev.scoria.client;

/** A web service's state, with Azure ML's names. */
public enum WebserviceState {
    /** Being deployed or reloaded; not answering yet. */
    Transitioning,
    /** Deployed and answering at its scoring URI. */
    Healthy,
    /** Deployed but not answering right now. */
    Unhealthy,
    /** Could not be deployed; {@link Webservice#error()} says why. Terminal. */
    Failed,
    /** Being deleted. */
    Deleting;

    static WebserviceState fromWire(String text) {
        for (WebserviceState state : values()) {
            if (state.name().equalsIgnoreCase(text)) {
                return state;
            }
        }
        throw new WebserviceException("the server reported service state '" + text + "', which this SDK does not know;"
                + " is the SDK older than the server?");
    }
}
