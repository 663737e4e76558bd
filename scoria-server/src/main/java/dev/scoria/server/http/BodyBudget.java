package dev.scoria.server.http;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of scoring request bodies the server holds at once, over every connection and event loop. A body
 * is read whole before it is scored, so without a bound a burst of large requests on many connections asks for
 * more heap than there is: 1,024 connections sending 2 MB bodies left a server on the launcher's 112 MiB heap
 * out of memory, answering nothing, even after they stopped. A request whose body does not fit now is answered
 * 503 with {@code Retry-After} before a byte of its body is read; its room is given back once its answer is sent
 * or its connection closes.
 *
 * <p>A body larger than the whole budget still gets in when no other body is held, so that what can ever be
 * scored is decided by the body size limit alone. A chunked body, whose length is not known up front, is
 * counted as {@link #UNKNOWN_LENGTH_BYTES}.
 */
public final class BodyBudget {

    /** What a body of unknown length (chunked) is counted as. */
    static final long UNKNOWN_LENGTH_BYTES = 1024 * 1024;

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    /** @param limit the bytes of bodies held at once */
    public BodyBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("body budget is " + limit + " bytes: expected more than 0");
        }
        this.limit = limit;
    }

    /**
     * A quarter of the heap: a body's decoded rows, the model's answer and its JSON together take about as much
     * again as the body, and the rest of the server needs the remainder.
     */
    public static long defaultLimit() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    public long limit() {
        return limit;
    }

    /** Bytes held now. */
    public long held() {
        return held.get();
    }

    /** Room for a body of {@code bytes}, held until {@link Hold#release}; or null when it does not fit now. */
    public Hold take(long bytes) {
        while (true) {
            long now = held.get();
            if (now > 0 && now + bytes > limit) {
                return null;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return new Hold(bytes);
            }
        }
    }

    /**
     * The routed scoring requests' step before their body is read: holds room for it until the answer is sent,
     * or answers 503 (with {@code Retry-After}) in the route's error format.
     */
    public void admit(RoutingContext ctx) {
        long bytes = declaredLength(ctx.request());
        Hold hold = take(bytes);
        if (hold == null) {
            ErrorFormat.forPath(ctx.request().path()).sendFailure(ctx, refusal(bytes));
            return;
        }
        ctx.addEndHandler(v -> hold.release());
        ctx.next();
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null ? UNKNOWN_LENGTH_BYTES : 0;
        }
        try {
            return Math.max(0, Long.parseLong(length.trim()));
        } catch (NumberFormatException e) {
            // The HTTP codec refuses such a request before it is routed; counted as unknown all the same.
            return UNKNOWN_LENGTH_BYTES;
        }
    }

    ScoriaException refusal(long bytes) {
        return new ScoriaException(
                ErrorKind.OVERLOADED,
                "the server holds " + mib(held.get()) + " of request bodies being read or scored, and this request's "
                        + mib(bytes) + " body does not fit within its limit of " + mib(limit)
                        + " (--max-bodies-in-flight-mb); retry shortly");
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** Room held for one body; given back once, however many times it is released. */
    public final class Hold {
        private final long bytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Hold(long bytes) {
            this.bytes = bytes;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                held.addAndGet(-bytes);
            }
        }
    }
}
