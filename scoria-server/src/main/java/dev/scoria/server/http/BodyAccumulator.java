package dev.scoria.server.http;

import io.vertx.core.buffer.Buffer;

/**
 * A request body of declared length, gathered as it arrives. A body that comes in one chunk is that
 * chunk (Vert.x hands each chunk over as a copy of its own), with no further copy. A longer one is
 * gathered into a buffer that grows fourfold, never past the declared length: a few copies in all, the
 * chunks themselves garbage at once (keeping them until the end filled the young generation with
 * megabytes per large request), and memory that follows the bytes received rather than the length a
 * client declared.
 */
final class BodyAccumulator {

    private static final int GROWTH = 4;

    private final int declared;
    private Buffer first;
    private Buffer gathered;
    private int capacity;

    /** @param declared the body's {@code Content-Length} */
    BodyAccumulator(int declared) {
        this.declared = declared;
    }

    void add(Buffer chunk) {
        if (first == null && gathered == null) {
            first = chunk;
            return;
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

    /** The whole body; empty when no byte came. */
    Buffer whole() {
        if (gathered != null) {
            return gathered;
        }
        return first != null ? first : Buffer.buffer(0);
    }
}
