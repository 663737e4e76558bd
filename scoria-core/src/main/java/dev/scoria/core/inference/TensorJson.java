package dev.scoria.core.inference;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes a tensor's values as JSON: nested arrays following its shape (what a Python service's
 * {@code ndarray.tolist()} gives) or flat, row-major. FP16 and FP32 values are written as the doubles
 * they are exactly, which is what Python writes for them, so Azure clients see the same digits.
 */
public final class TensorJson {

    private TensorJson() {}

    /** The values nested by the tensor's shape; a scalar as a single value. */
    public static void writeNested(JsonGenerator out, NamedTensor tensor, boolean widenFloats) throws IOException {
        long[] shape = tensor.shape();
        if (shape.length == 0) {
            writeValue(out, tensor.data(), 0, widenFloats);
            return;
        }
        writeLevel(out, tensor.data(), shape, 0, 0, widenFloats);
    }

    /**
     * The bytes {@link #writeNested} writes with a plain generator (no pretty printer, Jackson's fast double
     * writer) for a tensor of doubles, or of floats widened: the same text of each number, from the same
     * {@link NumberOutput#toString(double, boolean)}, and the same brackets and commas. Written straight to
     * bytes, a large answer skips the generator's work per number (checks of its state, the number's chars
     * copied and encoded). Null for other types and for NaN or an infinity (which the generator quotes):
     * write those with {@link #writeNested}.
     */
    public static byte[] nestedNumbers(NamedTensor tensor) {
        Ascii text = nestedNumberText(tensor);
        return text == null ? null : text.exact();
    }

    /**
     * The same text where it was written, not copied to an array of its length: for a writer that can send
     * part of an array, a large answer's bytes copied once less.
     */
    public static Ascii nestedNumberText(NamedTensor tensor) {
        Object data = tensor.data();
        if (!(data instanceof double[]) && !(data instanceof float[])) {
            return null;
        }
        Numbers out = new Numbers(16 + 20 * tensor.size());
        long[] shape = tensor.shape();
        if (shape.length == 0) {
            return out.number(data, 0) ? out.text() : null;
        }
        return out.level(data, shape, 0, 0) >= 0 ? out.text() : null;
    }

    /** JSON text in ASCII: the first {@code length} bytes of {@code bytes}, which nothing writes to again. */
    public record Ascii(byte[] bytes, int length) {

        public byte[] exact() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }

    /** A growing byte array of numbers in nested brackets. */
    private static final class Numbers {
        private byte[] bytes;
        private int length;

        Numbers(int capacity) {
            bytes = new byte[capacity];
        }

        /** Writes dimension {@code dim} from flat index {@code offset}; the next index, or -1 at a non-finite value. */
        int level(Object data, long[] shape, int dim, int offset) {
            put('[');
            long n = shape[dim];
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    put(',');
                }
                if (dim == shape.length - 1) {
                    if (!number(data, offset++)) {
                        return -1;
                    }
                } else if ((offset = level(data, shape, dim + 1, offset)) < 0) {
                    return -1;
                }
            }
            put(']');
            return offset;
        }

        boolean number(Object data, int i) {
            double value = data instanceof double[] d ? d[i] : ((float[]) data)[i];
            if (!Double.isFinite(value)) {
                return false;
            }
            String text = NumberOutput.toString(value, true);
            int n = text.length();
            ensure(n);
            for (int k = 0; k < n; k++) {
                bytes[length + k] = (byte) text.charAt(k);
            }
            length += n;
            return true;
        }

        void put(char c) {
            ensure(1);
            bytes[length++] = (byte) c;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
            }
        }

        byte[] bytes() {
            return text().exact();
        }

        Ascii text() {
            return new Ascii(bytes, length);
        }
    }

    /** The values as one flat array, row-major. */
    public static void writeFlat(JsonGenerator out, NamedTensor tensor, boolean widenFloats) throws IOException {
        out.writeStartArray();
        int n = tensor.size();
        Object data = tensor.data();
        for (int i = 0; i < n; i++) {
            writeValue(out, data, i, widenFloats);
        }
        out.writeEndArray();
    }

    /** Writes the values of dimension {@code dim} starting at flat index {@code offset}; returns the next index. */
    private static int writeLevel(JsonGenerator out, Object data, long[] shape, int dim, int offset, boolean widen)
            throws IOException {
        out.writeStartArray();
        long n = shape[dim];
        if (dim == shape.length - 1) {
            for (int i = 0; i < n; i++) {
                writeValue(out, data, offset++, widen);
            }
        } else {
            for (int i = 0; i < n; i++) {
                offset = writeLevel(out, data, shape, dim + 1, offset, widen);
            }
        }
        out.writeEndArray();
        return offset;
    }

    private static void writeValue(JsonGenerator out, Object data, int i, boolean widen) throws IOException {
        if (data instanceof double[] d) {
            out.writeNumber(d[i]);
        } else if (data instanceof float[] f) {
            if (widen) {
                out.writeNumber((double) f[i]);
            } else {
                out.writeNumber(f[i]);
            }
        } else if (data instanceof long[] l) {
            out.writeNumber(l[i]);
        } else if (data instanceof int[] v) {
            out.writeNumber(v[i]);
        } else if (data instanceof boolean[] b) {
            out.writeBoolean(b[i]);
        } else {
            out.writeString(((String[]) data)[i]);
        }
    }
}
