package dev.scoria.core.auth;

/** A token as handed to a client, with Azure's fields: times are epoch seconds. */
public record AccessToken(String accessToken, long refreshAfter, long expiryOn) {

    @Override
    public String toString() {
        return "AccessToken[redacted, refreshAfter=" + refreshAfter + ", expiryOn=" + expiryOn + "]";
    }
}
