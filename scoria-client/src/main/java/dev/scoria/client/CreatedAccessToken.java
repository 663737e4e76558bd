package dev.scoria.client;

/** A token just created: its description and the token itself, which the server shows this once only. */
public record CreatedAccessToken(AccessTokenInfo info, String token) {

    @Override
    public String toString() {
        return "CreatedAccessToken[" + info + ", token redacted]";
    }
}
