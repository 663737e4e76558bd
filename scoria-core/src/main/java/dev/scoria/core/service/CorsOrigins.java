package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks a service's allowed CORS origins: {@code *}, or origins like {@code https://app.example.com[:port]}. */
public final class CorsOrigins {

    private CorsOrigins() {}

    /** The origins, trimmed and lower-cased; refuses one that is not valid with a message naming it and its index. */
    public static List<String> validate(List<String> origins) {
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i);
            String o = origin == null ? "" : origin.trim();
            if (o.equals("*")) {
                clean.add(o);
                continue;
            }
            URI uri;
            try {
                uri = URI.create(o);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            boolean valid = uri != null
                    && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null
                    && uri.getRawUserInfo() == null
                    && uri.getRawFragment() == null;
            if (!valid) {
                throw ScoriaException.badInput(
                        "CORS origin '" + origin + "' is not valid (corsOrigins[" + i + "]):"
                                + " expected * or scheme://host[:port], e.g. https://app.example.com (no path, no trailing slash)");
            }
            clean.add(o.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(clean);
    }

    /** Whether a browser page from {@code origin} may call a service allowing {@code allowed}. */
    public static boolean allows(List<String> allowed, String origin) {
        if (origin == null || allowed.isEmpty()) {
            return false;
        }
        return allowed.contains("*") || allowed.contains(origin.toLowerCase(Locale.ROOT));
    }
}
