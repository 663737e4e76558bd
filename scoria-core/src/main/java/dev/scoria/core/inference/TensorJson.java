package dev.scoria.core.inference;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

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
