package dev.scoria.client;

import java.util.Locale;

/**
 * How a web service's callers authenticate. Key and token auth are exclusive, as in Azure ML
 * ({@code auth_enabled} / {@code token_auth_enabled}).
 */
public enum AuthMode {
    /** {@code Authorization: Bearer <primary or secondary key>}; the default. */
    KEY,
    /** {@code Authorization: Bearer <access token>} issued by the workspace. */
    TOKEN,
    /** Anyone who can reach the scoring URI may call it. */
    NONE;

    /** The value the management API uses: {@code key}, {@code token} or {@code none}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AuthMode fromWire(String text) {
        for (AuthMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new WebserviceException("the server reported auth mode '" + text + "', which this SDK does not know");
    }
}
