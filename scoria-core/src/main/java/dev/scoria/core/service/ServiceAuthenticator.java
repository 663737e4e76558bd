package dev.scoria.core.service;

import dev.scoria.core.auth.Secrets;
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

    /**
     * Null when the request's {@code Authorization} header (or null) opens the service, else why not. A header of
     * another scheme ({@code Basic …}) is named as such, by its scheme only: its value may be a secret.
     */
    public String refusalOfHeader(LiveService service, String authorization) {
        String presented = Secrets.bearer(authorization);
        String refusal = refusal(service, presented);
        if (refusal == null || presented != null || authorization == null || authorization.isBlank()) {
            return refusal;
        }
        String scheme = authorization.trim().split("\\s+", 2)[0];
        if (scheme.length() > 20 || !scheme.chars().allMatch(Character::isLetterOrDigit)) {
            scheme = "an unknown scheme";
        } else {
            scheme = "the '" + scheme + "' scheme";
        }
        String credential = service.record().authMode() == AuthMode.KEY ? "key" : "access token";
        return "the Authorization header uses " + scheme + ": send 'Authorization: Bearer <" + credential
                + ">' for service '" + service.record().name() + "'";
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
