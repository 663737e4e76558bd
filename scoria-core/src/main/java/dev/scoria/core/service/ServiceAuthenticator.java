package dev.scoria.core.service;

import dev.scoria.core.auth.TokenService;
import dev.scoria.core.auth.TokenVerdict;

/**
 * Decides whether a caller may score with a service: either key under key auth, a valid token for
 * this service under token auth, anyone under none. Never says which key or token was expected.
 */
public final class ServiceAuthenticator {

    private final TokenService tokens;

    public ServiceAuthenticator(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Null when {@code presented} (the Bearer value, or null) opens the service, else why not. */
    public String refusal(LiveService service, String presented) {
        ServiceRecord record = service.record();
        if (record.authMode() == AuthMode.NONE) {
            return null;
        }
        String credential = record.authMode() == AuthMode.KEY ? "key" : "access token";
        if (presented == null) {
            return "missing credentials: send 'Authorization: Bearer <" + credential + ">' for service '"
                    + record.name() + "'";
        }
        if (record.authMode() == AuthMode.KEY) {
            return service.keyMatches(presented)
                    ? null
                    : "the key presented is not valid for service '" + record.name() + "'";
        }
        TokenVerdict verdict = tokens.verify(presented, record.name(), record.createdTime());
        return verdict == TokenVerdict.VALID
                ? null
                : "the access token presented is not valid for service '" + record.name() + "': " + verdict.reason();
    }
}
