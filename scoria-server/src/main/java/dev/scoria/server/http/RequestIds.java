package dev.scoria.server.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Azure's request-id rules: echo {@code x-request-id} (or its alias {@code x-ms-request-id}) or make
 * a UUID, echo {@code x-ms-client-request-id} only if sent, refuse ids over 100 characters with 431.
 */
public final class RequestIds implements Handler<RoutingContext> {

    public static final String KEY = "requestId";
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
        MultiMap headers = ctx.request().headers();
        String requestId = headers.get("x-request-id");
        String msRequestId = headers.get("x-ms-request-id");
        String clientRequestId = headers.get("x-ms-client-request-id");
        if (requestId != null && requestId.length() > MAX_LENGTH) {
            HttpErrors.send(
                    ctx,
                    431,
                    "x-request-id must not exceed " + MAX_LENGTH + " characters (saw " + requestId.length() + ")");
            return;
        }
        if (msRequestId != null && msRequestId.length() > MAX_LENGTH
                || clientRequestId != null && clientRequestId.length() > MAX_LENGTH) {
            HttpErrors.send(
                    ctx,
                    431,
                    "x-ms-request-id and x-ms-client-request-id must not exceed " + MAX_LENGTH + " characters");
            return;
        }
        String id = requestId != null ? requestId : msRequestId != null ? msRequestId : newId();
        ctx.put(KEY, id);
        MultiMap out = ctx.response().headers();
        out.set("x-request-id", id);
        out.set("x-ms-request-id", id);
        if (clientRequestId != null) {
            out.set("x-ms-client-request-id", clientRequestId);
        }
        ctx.next();
    }
}
