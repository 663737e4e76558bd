package dev.scoria.scorer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A whole answer, sent as it is: status, headers, body. Azure ML's {@code AMLResponse}. Build with
 * {@link #json}, {@link #text}, {@link #bytes} or {@link #builder}.
 */
public record ScoreResponse(int status, Map<String, String> headers, byte[] body) {

    public ScoreResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP status");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** JSON text, sent as {@code application/json}. */
    public static ScoreResponse json(int status, String json) {
        return builder(status)
                .header("Content-Type", "application/json")
                .body(json)
                .build();
    }

    /** Plain text, sent as {@code text/plain; charset=utf-8}. */
    public static ScoreResponse text(int status, String text) {
        return builder(status)
                .header("Content-Type", "text/plain; charset=utf-8")
                .body(text)
                .build();
    }

    /** Bytes of the given media type. */
    public static ScoreResponse bytes(int status, String contentType, byte[] body) {
        return builder(status).header("Content-Type", contentType).body(body).build();
    }

    public static Builder builder(int status) {
        return new Builder(status);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ScoreResponse[" + status + ", " + headers + ", " + body.length + " bytes]";
    }

    /** Builds a {@link ScoreResponse}. */
    public static final class Builder {
        private final int status;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        public Builder body(String text) {
            this.body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder body(byte[] bytes) {
            this.body = bytes.clone();
            return this;
        }

        public ScoreResponse build() {
            return new ScoreResponse(status, headers, body);
        }
    }
}
