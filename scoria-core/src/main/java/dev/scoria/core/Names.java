package dev.scoria.core;

import java.util.regex.Pattern;

/** The naming rules of models and services (the same as Azure ML's, so names move over unchanged). */
public final class Names {

    private static final Pattern MODEL = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9\\-._]{0,254}$");
    private static final Pattern SERVICE = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");

    private Names() {}

    public static String requireModelName(String name) {
        if (name == null || !MODEL.matcher(name).matches()) {
            throw ScoriaException.badInput("model name '" + name + "' is not valid: expected 1-255 characters of"
                    + " letters, digits, '-', '.' or '_', starting with a letter or digit");
        }
        return name;
    }

    public static String requireServiceName(String name) {
        if (name == null
                || name.length() < 3
                || name.length() > 32
                || !SERVICE.matcher(name).matches()) {
            throw ScoriaException.badInput("service name '" + name + "' is not valid: expected 3-32 lowercase"
                    + " letters, digits or dashes, starting with a letter and ending with a letter or digit");
        }
        return name;
    }
}
