package dev.scoria.core.auth;

/** Why a token was accepted or refused; the refusals all answer 401, the reason goes to the message. */
public enum TokenVerdict {
    VALID("valid"),
    MALFORMED("not a signed JWT"),
    UNSUPPORTED_ALGORITHM("not signed with ES256"),
    UNKNOWN_KEY("signed with a key this workspace does not have"),
    BAD_SIGNATURE("its signature does not verify"),
    WRONG_ISSUER("issued by another workspace"),
    WRONG_AUDIENCE("issued for another service"),
    EXPIRED("expired"),
    NOT_YET_VALID("not valid yet");

    private final String reason;

    TokenVerdict(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
