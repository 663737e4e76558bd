package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;
import java.util.Locale;

/** How a service's callers prove who they are. Key and token auth are exclusive, as in Azure ML. */
public enum AuthMode {
    KEY,
    TOKEN,
    NONE;

    public static AuthMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw ScoriaException.badInput("auth mode '" + text + "' is not valid: expected key, token or none");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
