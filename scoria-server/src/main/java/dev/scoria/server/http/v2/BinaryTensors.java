package dev.scoria.server.http.v2;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.NamedTensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The binary tensor extension's encoding: values little-endian and packed, booleans one byte each,
 * FP16 as IEEE half precision, and each BYTES element as a 4-byte little-endian length and its bytes.
 */
final class BinaryTensors {

    private BinaryTensors() {}

    static Object decode(byte[] body, int offset, int length, Datatype datatype, int count, String what) {
        ByteBuffer in = ByteBuffer.wrap(body, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (datatype == Datatype.BYTES) {
            return strings(in, count, what);
        }
        long expected = (long) count * datatype.wireBytes();
        if (length != expected) {
            throw ScoriaException.badInput(what + " has binary_data_size " + length + ": " + count + " " + datatype
                    + " values take " + expected + " bytes");
        }
        switch (datatype) {
            case BOOL -> {
                boolean[] out = new boolean[count];
                for (int i = 0; i < count; i++) {
                    out[i] = in.get(i) != 0;
                }
                return out;
            }
            case INT8, UINT8, INT16, UINT16, INT32 -> {
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    out[i] = switch (datatype) {
                        case INT8 -> in.get(i);
                        case UINT8 -> in.get(i) & 0xFF;
                        case INT16 -> in.getShort(i * 2);
                        case UINT16 -> in.getShort(i * 2) & 0xFFFF;
                        default -> in.getInt(i * 4);
                    };
                }
                return out;
            }
            case UINT32 -> {
                long[] out = new long[count];
                for (int i = 0; i < count; i++) {
                    out[i] = in.getInt(i * 4) & 0xFFFF_FFFFL;
                }
                return out;
            }
            case INT64, UINT64 -> {
                long[] out = new long[count];
                in.asLongBuffer().get(out);
                return out;
            }
            case FP16 -> {
                float[] out = new float[count];
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.toFloat(in.getShort(i * 2));
                }
                return out;
            }
            case FP32 -> {
                float[] out = new float[count];
                in.asFloatBuffer().get(out);
                return out;
            }
            case FP64 -> {
                double[] out = new double[count];
                in.asDoubleBuffer().get(out);
                return out;
            }
            default -> throw new IllegalStateException("unhandled datatype " + datatype);
        }
    }

    private static String[] strings(ByteBuffer in, int count, String what) {
        // Each element takes at least its 4-byte length: a count the bytes cannot hold is refused before
        // the array is made (a shape claiming two billion strings would otherwise allocate gigabytes).
        if (count > in.limit() / 4) {
            throw ScoriaException.badInput(what + " has " + count + " BYTES elements by its shape, but its "
                    + in.limit() + " bytes of binary data hold at most " + in.limit() / 4
                    + " (each element is a 4-byte length and its bytes)");
        }
        String[] out = new String[count];
        int position = 0;
        byte[] array = in.array();
        int base = in.arrayOffset();
        for (int i = 0; i < count; i++) {
            if (in.limit() - position < 4) {
                throw ScoriaException.badInput(what + " binary data ends before BYTES element " + i + " of " + count);
            }
            int length = in.getInt(position);
            position += 4;
            if (length < 0 || length > in.limit() - position) {
                throw ScoriaException.badInput(what + " BYTES element " + i + " claims "
                        + Integer.toUnsignedString(length) + " bytes; " + (in.limit() - position) + " are left");
            }
            out[i] = V2RequestReader.utf8(array, base + position, length, what);
            position += length;
        }
        if (position != in.limit()) {
            throw ScoriaException.badInput(what + " has " + (in.limit() - position) + " bytes of binary data after its "
                    + count + " BYTES elements");
        }
        return out;
    }

    /** A tensor's values in binary form, in an array of exactly their length. */
    static byte[] encode(NamedTensor tensor) {
        Object data = tensor.data();
        int count = tensor.size();
        if (tensor.datatype() == Datatype.BYTES) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String s : (String[]) data) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                ByteBuffer length =
                        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length);
                out.write(length.array(), 0, 4);
                out.write(bytes, 0, bytes.length);
            }
            return out.toByteArray();
        }
        ByteBuffer buffer =
                ByteBuffer.allocate(count * tensor.datatype().wireBytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (tensor.datatype()) {
            case BOOL -> {
                for (boolean b : (boolean[]) data) {
                    buffer.put((byte) (b ? 1 : 0));
                }
            }
            case INT8, UINT8 -> {
                for (int v : (int[]) data) {
                    buffer.put((byte) v);
                }
            }
            case INT16, UINT16 -> {
                for (int v : (int[]) data) {
                    buffer.putShort((short) v);
                }
            }
            case INT32 -> buffer.asIntBuffer().put((int[]) data);
            case UINT32 -> {
                for (long v : (long[]) data) {
                    buffer.putInt((int) v);
                }
            }
            case INT64, UINT64 -> buffer.asLongBuffer().put((long[]) data);
            case FP16 -> {
                for (float v : (float[]) data) {
                    buffer.putShort(HalfFloats.fromFloat(v));
                }
            }
            case FP32 -> buffer.asFloatBuffer().put((float[]) data);
            case FP64 -> buffer.asDoubleBuffer().put((double[]) data);
            default -> throw new IllegalStateException("unhandled datatype " + tensor.datatype());
        }
        return buffer.array();
    }
}
