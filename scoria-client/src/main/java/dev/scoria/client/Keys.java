package dev.scoria.client;

import java.util.Objects;

/**
 * A key-auth service's two keys. Either one opens the scoring URI; regenerating one leaves the other
 * working, so clients can move to the other key without a failed request.
 */
public record Keys(String primaryKey, String secondaryKey) {

    public Keys {
        Objects.requireNonNull(primaryKey, "primaryKey");
        Objects.requireNonNull(secondaryKey, "secondaryKey");
    }

    /** Hides the keys, so that logging a {@code Keys} does not leak them. */
    @Override
    public String toString() {
        return "Keys[primaryKey=" + redact(primaryKey) + ", secondaryKey=" + redact(secondaryKey) + "]";
    }

    private static String redact(String key) {
        return key.length() <= 4 ? "****" : key.substring(0, 4) + "****";
    }
}
