package dev.scoria.server.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A request body's bytes where they lie: the heap array under the buffer the body was read into, so a
 * reader parses it without first copying it (a large body is megabytes, and every copy is garbage the
 * heap must make room for). Copied only when the buffer is not one plain array. The array must not be
 * written to: it is the body's.
 */
public record BodyBytes(byte[] array, int offset, int length) {

    private static final BodyBytes EMPTY = new BodyBytes(new byte[0], 0, 0);

    public static BodyBytes of(Buffer buffer) {
        if (buffer == null || buffer.length() == 0) {
            return EMPTY;
        }
        if (buffer instanceof BufferInternal internal) {
            ByteBuf bytes = internal.getByteBuf();
            if (bytes.hasArray()) {
                return new BodyBytes(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            }
        }
        byte[] copy = buffer.getBytes();
        return new BodyBytes(copy, 0, copy.length);
    }

    public static BodyBytes of(byte[] bytes) {
        return new BodyBytes(bytes, 0, bytes.length);
    }
}
