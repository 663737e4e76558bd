package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;

/** Which of a service's two keys. */
public enum KeyType {
    Primary,
    Secondary;

    public static KeyType parse(String text) {
        if (text != null) {
            for (KeyType t : values()) {
                if (t.name().equalsIgnoreCase(text.trim())) {
                    return t;
                }
            }
        }
        throw ScoriaException.badInput("keyType '" + text + "' is not valid: expected Primary or Secondary");
    }
}
