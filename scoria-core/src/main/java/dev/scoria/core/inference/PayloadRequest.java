package dev.scoria.core.inference;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request handed to the predictor as it came: the body, its content type, and for predictors that
 * see the whole request (raw Java scorers, a {@code score.py} with {@code @rawhttp}) the method, path,
 * headers (without credentials) and query parameters.
 *
 * @param path the path the code is told it was called on (Azure's container path {@code /score} for
 *     the v1 route, whatever prefix the front door used)
 */
public record PayloadRequest(
        String id,
        String protocol,
        String method,
        String path,
        String contentType,
        Map<String, List<String>> headers,
        Map<String, List<String>> query,
        byte[] body)
        implements InferenceRequest {

    public PayloadRequest {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(method, "method");
        headers = headers == null ? Map.of() : headers;
        query = query == null ? Map.of() : query;
        body = body == null ? new byte[0] : body;
    }

    /** A JSON POST, as tests and benchmarks make them. */
    public static PayloadRequest json(String id, byte[] body) {
        return new PayloadRequest(
                id,
                "test",
                "POST",
                "/score",
                "application/json",
                Map.of("Content-Type", List.of("application/json")),
                Map.of(),
                body);
    }
}
