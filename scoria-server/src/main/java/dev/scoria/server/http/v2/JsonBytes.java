package dev.scoria.server.http.v2;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import dev.scoria.server.http.Json;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.util.Arrays;

/**
 * JSON text written straight into one growing byte array, byte for byte what {@link Json#MAPPER}'s
 * generator writes for the same values, and handed to the response as that array. A generator checks its
 * state at every value, turns every number's chars into bytes through its own buffer, and its bytes are
 * then copied out twice more (to an array, then to the response's buffer): for a small answer that is much
 * of the route's own work.
 */
final class JsonBytes {

    /** The generator's choice of double-to-text algorithm: both must write the same digits. */
    private static final boolean FAST_DOUBLES = Json.MAPPER.isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);

    private byte[] bytes;
    private int length;

    JsonBytes(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** Text that is already JSON, in ASCII: written as it is. */
    JsonBytes raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length + i] = (byte) ascii.charAt(i);
        }
        length += n;
        return this;
    }

    JsonBytes raw(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Bytes after the JSON (the binary tensor extension's data). */
    JsonBytes append(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, length, data.length);
        length += data.length;
        return this;
    }

    /**
     * A JSON string. Printable ASCII without quotes or backslashes is copied; anything else is quoted by the
     * mapper itself, so every escape (control characters, surrogates, non-ASCII text) is the generator's.
     */
    JsonBytes string(String value) throws IOException {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return append(Json.MAPPER.writeValueAsBytes(value));
            }
        }
        ensure(n + 2);
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            bytes[length + i] = (byte) value.charAt(i);
        }
        length += n;
        bytes[length++] = '"';
        return this;
    }

    JsonBytes number(long value) {
        return raw(Long.toString(value));
    }

    /** As the generator writes it: NaN and the infinities as strings, as its default quotes them. */
    JsonBytes number(double value) throws IOException {
        String text = NumberOutput.toString(value, FAST_DOUBLES);
        return Double.isFinite(value) ? raw(text) : string(text);
    }

    /** A float as a float (its shortest text), not widened to the double it is. */
    JsonBytes number(float value) throws IOException {
        String text = NumberOutput.toString(value, FAST_DOUBLES);
        return Float.isFinite(value) ? raw(text) : string(text);
    }

    JsonBytes bool(boolean value) {
        return raw(value ? "true" : "false");
    }

    int length() {
        return length;
    }

    /** A copy of what was written (for tests and small uses; the response takes {@link #buffer}). */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** What was written, as a buffer over this array, not a copy of it; nothing may be written after. */
    Buffer buffer() {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, length));
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }
}
