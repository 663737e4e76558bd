package dev.scoria.core.runtime;

import java.util.List;
import java.util.Map;

/**
 * One scoring request as the core sees it: no HTTP types, only what a predictor may need. For a
 * {@code GET}, {@code body} holds the query parameters as a JSON object (Azure's rule).
 */
public record ScoreCall(
        String requestId,
        String method,
        String path,
        Map<String, List<String>> headers,
        Map<String, List<String>> query,
        String contentType,
        byte[] body) {

    /** A JSON POST, as tests and benchmarks make them. */
    public static ScoreCall json(String requestId, byte[] body) {
        return new ScoreCall(
                requestId,
                "POST",
                "/score",
                Map.of("Content-Type", List.of("application/json")),
                Map.of(),
                "application/json",
                body);
    }
}
