package dev.scoria.server.http;

import java.util.Map;

/** A management answer: status, a JSON-serialisable body, extra headers. */
public record Reply(int status, Object body, Map<String, String> headers) {

    public static Reply ok(Object body) {
        return new Reply(200, body, Map.of());
    }

    public static Reply of(int status, Object body) {
        return new Reply(status, body, Map.of());
    }
}
