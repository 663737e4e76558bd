package dev.scoria.core.access;

/** A token just created: its record, and the token itself, which exists nowhere else and is shown once. */
public record IssuedToken(AccessCredential credential, String token) {

    @Override
    public String toString() {
        return "IssuedToken[" + credential + ", token redacted]";
    }
}
