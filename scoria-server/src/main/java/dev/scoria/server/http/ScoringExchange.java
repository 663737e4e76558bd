package dev.scoria.server.http;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One scoring request as the protocol adapters need it once it has been admitted: whether it came
 * through the router ({@link RoutedExchange}) or the scoring fast path ({@link DirectScoring}), an
 * adapter reads the same request, body and id and writes the same response.
 */
public interface ScoringExchange {

    HttpServerRequest request();

    HttpServerResponse response();

    /** The event-loop context the request arrived on, where its answer is written. */
    Context context();

    /** The request's id (the client's {@code x-request-id}, or one made for it). */
    String requestId();

    /** The body read in full, or null when the request has none (a GET). */
    Buffer body();

    /**
     * Says that nothing reads the body any more, so its bytes may be reused for another request. Only the
     * job that reads the body may say so, once it has, never the answer (a request answered 504 may still
     * be read by its job). Where nobody says it, the body is simply garbage.
     */
    default void bodyRead() {}

    /** The query parameters, decoded. */
    MultiMap queryParams();

    /** The metric label of the route that took the request ({@code azure}, {@code v2}). */
    String protocol();
}
