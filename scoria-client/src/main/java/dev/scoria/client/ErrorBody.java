package dev.scoria.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Extracts the explanation from an error answer. Scoria answers {@code {"status_code": N, "message": "..."}};
 * a proxy in front of it may answer with HTML or plain text, which is passed on, shortened.
 */
final class ErrorBody {

    private static final int MAX_TEXT = 300;

    private ErrorBody() {}

    /** The server's message, or null when the body is empty. */
    static String message(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String trimmed = body.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = Json.MAPPER.readTree(trimmed);
                JsonNode message = node.get("message");
                if (message != null && message.isTextual()) {
                    return message.asText();
                }
                JsonNode error = node.get("error");
                if (error != null && error.isObject() && error.path("message").isTextual()) {
                    return error.get("message").asText();
                }
            } catch (Exception notJson) {
                // Falls through: a body that only looks like JSON is shown as text.
            }
        }
        return abbreviate(trimmed);
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_TEXT ? oneLine : oneLine.substring(0, MAX_TEXT) + "…";
    }
}
