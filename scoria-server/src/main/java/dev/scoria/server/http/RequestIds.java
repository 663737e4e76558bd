package dev.scoria.server.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids as Azure ML's inference server (azureml-inference-server-http) sets them, on every route:
 *
 * <ul>
 *   <li>{@code x-request-id}: the client's, else a new UUID. Over 100 characters: 431, with no id header
 *       at all.
 *   <li>The client's own id, {@code x-ms-client-request-id}, or the legacy {@code x-ms-request-id} it
 *       replaced: one sent alone is echoed in both headers, both sent are echoed as sent. Scoria never
 *       makes one up, but {@code x-ms-request-id} (which older clients read as the request's id) is the
 *       {@code x-request-id} when the client sent neither. Over 100 characters: 431, which still carries
 *       the {@code x-request-id}.
 *   <li>{@code TraceId} (Office's tracing header): echoed.
 * </ul>
 *
 * An empty header counts as not sent. The headers are written just before the answer's head, so nothing
 * a route or a scorer put there can replace them.
 */
public final class RequestIds implements Handler<RoutingContext> {

    /** Where the request id is kept on the routing context, for logs and error messages. */
    public static final String KEY = "requestId";
    /** Where the client's own id is kept, when it sent one, for the access log. */
    static final String CLIENT_KEY = "clientRequestId";

    // Pre-encoded names: their hash is computed once, and they are written to the wire as they are.
    static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
    static final CharSequence LEGACY_CLIENT_ID = HttpHeaders.createOptimized("x-ms-request-id");
    static final CharSequence CLIENT_ID = HttpHeaders.createOptimized("x-ms-client-request-id");
    static final CharSequence TRACE_ID = HttpHeaders.createOptimized("TraceId");
    private static final int MAX_LENGTH = 100;

    /**
     * A random (version 4) UUID from ThreadLocalRandom: request ids need to be unique, not secret, and
     * UUID.randomUUID()'s SecureRandom becomes a point of contention at tens of thousands of requests a second.
     */
    static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    @Override
    public void handle(RoutingContext ctx) {
        MultiMap in = ctx.request().headers();
        String traceId = sent(in, TRACE_ID);
        if (traceId != null) {
            ctx.addHeadersEndHandler(v -> ctx.response().headers().set(TRACE_ID, traceId));
        }
        String requestId = sent(in, REQUEST_ID);
        if (requestId != null && requestId.length() > MAX_LENGTH) {
            ErrorFormat.forPath(ctx.request().path())
                    .send(
                            ctx,
                            431,
                            REQUEST_ID + " must not exceed " + MAX_LENGTH + " characters (saw " + requestId.length()
                                    + ")");
            return;
        }
        String id = requestId != null ? requestId : newId();
        ctx.put(KEY, id);
        String legacy = sent(in, LEGACY_CLIENT_ID);
        String client = sent(in, CLIENT_ID);
        String longOne = legacy != null && legacy.length() > MAX_LENGTH
                ? LEGACY_CLIENT_ID + " has " + legacy.length()
                : client != null && client.length() > MAX_LENGTH ? CLIENT_ID + " has " + client.length() : null;
        if (longOne != null) {
            ctx.addHeadersEndHandler(v -> write(ctx.response().headers(), id, null, null));
            ErrorFormat.forPath(ctx.request().path())
                    .send(
                            ctx,
                            431,
                            LEGACY_CLIENT_ID + " and " + CLIENT_ID + " must not exceed " + MAX_LENGTH + " characters ("
                                    + longOne + ")");
            return;
        }
        String clientOut = client != null ? client : legacy;
        String legacyOut = legacy != null ? legacy : clientOut != null ? clientOut : id;
        if (clientOut != null) {
            ctx.put(CLIENT_KEY, clientOut);
        }
        ctx.addHeadersEndHandler(v -> write(ctx.response().headers(), id, legacyOut, clientOut));
        ctx.next();
    }

    /**
     * The ids of a request whose id headers are all within their limit, or null when one is not (the
     * handler, which answers 431 then, has to take such a request).
     */
    static Ids within(MultiMap in) {
        String requestId = sent(in, REQUEST_ID);
        String legacy = sent(in, LEGACY_CLIENT_ID);
        String client = sent(in, CLIENT_ID);
        if (tooLong(requestId) || tooLong(legacy) || tooLong(client)) {
            return null;
        }
        String id = requestId != null ? requestId : newId();
        String clientOut = client != null ? client : legacy;
        String legacyOut = legacy != null ? legacy : clientOut != null ? clientOut : id;
        return new Ids(id, legacyOut, clientOut, sent(in, TRACE_ID));
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > MAX_LENGTH;
    }

    /**
     * The id headers one answer carries.
     *
     * @param clientId the client's own id, or null when it sent none
     * @param traceId the {@code TraceId} to echo, or null
     */
    record Ids(String requestId, String legacyClientId, String clientId, String traceId) {
        /** Writes them over whatever the answer's headers hold: the server owns these headers. */
        void writeTo(MultiMap out) {
            if (traceId != null) {
                out.set(TRACE_ID, traceId);
            }
            write(out, requestId, legacyClientId, clientId);
        }
    }

    private static String sent(MultiMap headers, CharSequence name) {
        String value = headers.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Sets the ids, and removes any other value of them (a scorer's, say): the server owns these headers. */
    private static void write(MultiMap out, String requestId, String legacyClientId, String clientId) {
        out.set(REQUEST_ID, requestId);
        if (legacyClientId != null) {
            out.set(LEGACY_CLIENT_ID, legacyClientId);
        } else {
            out.remove(LEGACY_CLIENT_ID);
        }
        if (clientId != null) {
            out.set(CLIENT_ID, clientId);
        } else {
            out.remove(CLIENT_ID);
        }
    }
}
