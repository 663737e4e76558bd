package dev.scoria.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Builds a URL query string from parameters, skipping the absent ones, in the order they were added. */
final class QueryString {

    private final Map<String, String> params = new LinkedHashMap<>();

    QueryString add(String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
        return this;
    }

    /** {@code ""} when empty, else {@code ?a=1&b=2} with names and values percent-encoded. */
    @Override
    public String toString() {
        if (params.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        params.forEach((name, value) -> joined.add(encode(name) + "=" + encode(value)));
        return joined.toString();
    }

    /**
     * The server's filter syntax for tags and properties: comma-separated {@code key} (has the key) or
     * {@code key=value} terms, as Azure ML's {@code Webservice.list(tags=...)} sends them.
     */
    static String terms(Map<String, String> terms) {
        if (terms.isEmpty()) {
            return null;
        }
        StringJoiner joined = new StringJoiner(",");
        terms.forEach((key, value) -> joined.add(value == null ? key : key + "=" + value));
        return joined.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
