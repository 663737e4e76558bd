package dev.scoria.server.http;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body as it arrives, kept as the chunks Vert.x hands over (each already a copy of its own).
 * A body that came in one chunk is that chunk, with no further copy; one that came in several is copied
 * once, into a buffer of exactly its length, when it has all come. So memory follows the bytes received,
 * never the length a client merely declared, and a large body is not copied at each doubling of a buffer.
 */
final class BodyChunks {

    private Buffer first;
    private List<Buffer> more;
    private int length;

    void add(Buffer chunk) {
        length += chunk.length();
        if (first == null) {
            first = chunk;
            return;
        }
        if (more == null) {
            more = new ArrayList<>();
        }
        more.add(chunk);
    }

    /** The whole body; empty when no byte came. */
    Buffer whole() {
        if (first == null) {
            return Buffer.buffer(0);
        }
        if (more == null) {
            return first;
        }
        Buffer whole = Buffer.buffer(length).appendBuffer(first);
        for (Buffer chunk : more) {
            whole.appendBuffer(chunk);
        }
        return whole;
    }
}
