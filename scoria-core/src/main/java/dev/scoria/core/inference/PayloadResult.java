package dev.scoria.core.inference;

import java.util.Locale;
import java.util.Map;

/** An answer the predictor wrote whole (status, headers, body): Azure's {@code AMLResponse}. */
public record PayloadResult(int status, Map<String, String> headers, byte[] body) implements InferenceResult {

    public PayloadResult {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The media type without parameters, lower case, or null. */
    public String contentType() {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                String value = header.getValue();
                int semicolon = value.indexOf(';');
                return (semicolon < 0 ? value : value.substring(0, semicolon))
                        .trim()
                        .toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
