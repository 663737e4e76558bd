package dev.scoria.server.http;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body of declared length, gathered as it arrives. A body that comes in one chunk is that
 * chunk (Vert.x hands each chunk over as a copy of its own), with no further copy. A longer one is
 * copied chunk by chunk into an array sized once from its declared length, lent by a {@link BodyPool}, which gets
 * the array back from {@link #release}: a copy a byte, and no megabytes of new array a request for the
 * collector to move into the old generation and out again.
 *
 * <p>When the pool lends nothing the body is gathered into a buffer that grows fourfold, never past the
 * declared length: a few copies in all, the chunks themselves garbage at once, and memory that follows
 * the bytes received rather than the length a client declared.
 */
final class BodyAccumulator {

    private static final int GROWTH = 4;

    private final int declared;
    private final BodyPool pool;
    private Buffer first;
    private Buffer gathered;
    private int capacity;
    private byte[] lent;
    private int filled;
    private boolean filling;
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * @param declared the body's {@code Content-Length}
     * @param pool where an array for a long body comes from, or null to gather it as it arrives
     */
    BodyAccumulator(int declared, BodyPool pool) {
        this.declared = declared;
        this.pool = pool;
    }

    /** Gathers without a pool. */
    BodyAccumulator(int declared) {
        this(declared, null);
    }

    void add(Buffer chunk) {
        if (first == null && gathered == null && lent == null) {
            if (chunk.length() < declared && pool != null) {
                lent = pool.lend(declared);
                filling = lent != null;
            }
            if (lent == null) {
                first = chunk;
                return;
            }
        }
        if (lent != null) {
            int n = chunk.length();
            if (filled + n <= lent.length) {
                chunk.getBytes(0, n, lent, filled);
                filled += n;
                return;
            }
            // More than declared: the HTTP decoder stops at Content-Length, so only if that changes.
            gathered = Buffer.buffer(filled + n).appendBytes(lent, 0, filled);
            capacity = filled;
            ended();
            lent = null;
        }
        if (gathered == null) {
            gathered = grownTo(first.length() + chunk.length(), first);
            first = null;
        } else if (gathered.length() + chunk.length() > capacity) {
            gathered = grownTo(gathered.length() + chunk.length(), gathered);
        }
        gathered.appendBuffer(chunk);
    }

    private Buffer grownTo(int needed, Buffer sofar) {
        capacity = (int) Math.max(needed, Math.min(declared, (long) needed * GROWTH));
        return Buffer.buffer(capacity).appendBuffer(sofar);
    }

    /**
     * No more bytes will come: the body ended, or its connection broke. Frees the pool's room for arrays
     * being filled (not the array, which the body's readers may still hold); called as often as need be.
     */
    void ended() {
        if (filling) {
            filling = false;
            pool.filled(lent);
        }
    }

    /** The whole body; empty when no byte came. */
    Buffer whole() {
        if (lent != null) {
            return BufferInternal.buffer(Unpooled.wrappedBuffer(lent, 0, filled));
        }
        if (gathered != null) {
            return gathered;
        }
        return first != null ? first : Buffer.buffer(0);
    }

    /**
     * Nothing reads the body any more: its array may be lent to the next one. Only the one job that owns the
     * body's reading may say so (not the answer: a request answered 504 may still be read). At most once.
     */
    void release() {
        if (lent != null && released.compareAndSet(false, true)) {
            pool.giveBack(lent);
        }
    }
}
