package dev.scoria.scorer;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One scoring request as a {@link RawScorer} sees it. Immutable; header names are matched without
 * regard to case.
 *
 * @param query the query parameters, each with all its values in order
 */
public record ScoreRequest(
        String method, String path, Map<String, List<String>> headers, Map<String, List<String>> query, byte[] body) {

    public ScoreRequest {
        Objects.requireNonNull(method, "method");
        TreeMap<String, List<String>> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> caseless.put(k, List.copyOf(v)));
        }
        headers = Collections.unmodifiableMap(caseless);
        query = query == null ? Map.of() : Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** A POST of {@code body} with the given content type, for tests. */
    public static ScoreRequest post(String contentType, byte[] body) {
        return new ScoreRequest("POST", "/score", Map.of("Content-Type", List.of(contentType)), Map.of(), body);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The media type without parameters, lower case (e.g. {@code image/jpeg}), or null. */
    public String contentType() {
        String value = header("Content-Type");
        if (value == null) {
            return null;
        }
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ScoreRequest[" + method + " " + path + ", " + body.length + " bytes]";
    }
}
