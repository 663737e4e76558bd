package dev.scoria.client;

import java.time.Instant;

/**
 * An access token for a token-auth service, as {@code Webservice.get_token()} returns it in Azure's
 * SDK: send it as {@code Authorization: Bearer <accessToken>}, get a new one after {@code refreshAfter};
 * it stops working at {@code expiryOn}.
 */
public record AccessToken(String accessToken, String tokenType, Instant refreshAfter, Instant expiryOn) {

    /** Whether it is time to get a new token. */
    public boolean shouldRefresh(Instant now) {
        return !now.isBefore(refreshAfter);
    }

    @Override
    public String toString() {
        return "AccessToken[" + tokenType + " (redacted), refreshAfter=" + refreshAfter + ", expiryOn=" + expiryOn
                + "]";
    }
}
