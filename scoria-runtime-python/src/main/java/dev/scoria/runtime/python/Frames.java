package dev.scoria.runtime.python;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The worker protocol's framing: {@code [u32 header length][u32 body length][header][body]},
 * big-endian, the header a UTF-8 JSON object (type, request id, status, headers…), the body raw bytes
 * (a request or response body, never base64). Length-prefixed so that neither side scans for
 * delimiters and a body may hold any byte.
 */
final class Frames {

    /** Larger than any request the server accepts (100 MiB by default): a bigger length means a corrupt stream. */
    static final int MAX_PART = 1 << 30;

    /** How much of a part is allocated before its bytes arrive; larger parts grow by doubling as they do. */
    private static final int FIRST_CHUNK = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The largest answer header kept for reuse: the common ones are under 100 bytes. */
    static final int REUSED_HEADER_MAX = 256;

    /**
     * The last {@code result} header parsed, whatever the worker: the workers answer nearly every request
     * with the same header bytes (status 200, JSON), so it is parsed once, not once per answer. The tree
     * is shared by the frames that carry it, and only ever read.
     */
    private static volatile ParsedHeader lastResult;

    private record ParsedHeader(byte[] bytes, ObjectNode node) {}

    private Frames() {}

    /** One message: its JSON header and its body (empty, never null). */
    record Frame(ObjectNode header, byte[] body) {

        String type() {
            return header.path("type").asText();
        }
    }

    static void write(OutputStream out, ObjectNode header, byte[] body) throws IOException {
        write(out, JSON.writeValueAsBytes(header), body);
    }

    /** A frame whose header is already JSON bytes (see {@link ScoreHeader}). */
    static void write(OutputStream out, byte[] head, byte[] body) throws IOException {
        byte[] prefix = new byte[8];
        putInt(prefix, 0, head.length);
        putInt(prefix, 4, body.length);
        out.write(prefix);
        out.write(head);
        out.write(body);
        out.flush();
    }

    /** The next frame, or null at a clean end of stream (the worker exited between frames). */
    static Frame read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] rest = new byte[7];
        data.readFully(rest);
        long headLength = (long) first << 24 | (rest[0] & 0xff) << 16 | (rest[1] & 0xff) << 8 | rest[2] & 0xff;
        long bodyLength =
                ((long) (rest[3] & 0xff)) << 24 | (rest[4] & 0xff) << 16 | (rest[5] & 0xff) << 8 | rest[6] & 0xff;
        if (headLength > MAX_PART || bodyLength > MAX_PART || headLength == 0) {
            throw new IOException("corrupt frame from the Python worker: header " + headLength + " bytes, body "
                    + bodyLength + " bytes (did something write to the worker's protocol stream?)");
        }
        byte[] head = readFully(data, (int) headLength);
        byte[] body = readFully(data, (int) bodyLength);
        return new Frame(parseHeader(head), body);
    }

    private static ObjectNode parseHeader(byte[] head) throws IOException {
        ParsedHeader last = lastResult;
        if (last != null && Arrays.equals(last.bytes, head)) {
            return last.node;
        }
        var node = JSON.readTree(head);
        if (!(node instanceof ObjectNode object)) {
            throw new IOException("corrupt frame from the Python worker: the header is not a JSON object");
        }
        if (head.length <= REUSED_HEADER_MAX && object.path("type").asText().equals("result")) {
            lastResult = new ParsedHeader(head, object);
        }
        return object;
    }

    /**
     * {@code length} bytes, in an array that grows as they arrive: the lengths come from the worker's
     * stream, and a corrupt or hostile prefix claiming 1 GiB must cost only the bytes actually sent, not a
     * 1 GiB array up front. A length within {@link #FIRST_CHUNK} is read straight into its final array.
     */
    private static byte[] readFully(DataInputStream in, int length) throws IOException {
        byte[] bytes = new byte[Math.min(length, FIRST_CHUNK)];
        int read = 0;
        while (read < length) {
            if (read == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
            }
            int n = in.read(bytes, read, bytes.length - read);
            if (n < 0) {
                throw new EOFException(
                        "the Python worker's stream ended inside a frame: " + read + " of " + length + " bytes read");
            }
            read += n;
        }
        return bytes;
    }

    static ObjectNode header(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static void putInt(byte[] target, int at, int value) {
        target[at] = (byte) (value >>> 24);
        target[at + 1] = (byte) (value >>> 16);
        target[at + 2] = (byte) (value >>> 8);
        target[at + 3] = (byte) value;
    }
}
