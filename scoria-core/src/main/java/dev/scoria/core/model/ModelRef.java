package dev.scoria.core.model;

import dev.scoria.core.Names;
import dev.scoria.core.ScoriaException;

/** A reference to one model version, written {@code name:version}. */
public record ModelRef(String name, int version) {

    public static ModelRef parse(String text) {
        if (text == null) {
            throw ScoriaException.badInput("model reference is missing: expected name:version, e.g. diabetes:1");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw ScoriaException.badInput(
                    "model reference '" + text + "' is not valid: expected name:version, e.g. diabetes:1");
        }
        String name = Names.requireModelName(text.substring(0, colon));
        int version;
        try {
            version = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            version = -1;
        }
        if (version < 1) {
            throw ScoriaException.badInput("model reference '" + text + "' has version '" + text.substring(colon + 1)
                    + "': expected a whole number from 1");
        }
        return new ModelRef(name, version);
    }

    @Override
    public String toString() {
        return name + ":" + version;
    }
}
