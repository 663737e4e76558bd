package dev.scoria.core.inference;

import dev.scoria.core.ScoriaException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A tensor's element type, named as the Open Inference Protocol names them. Each is held in the Java
 * array that represents it without loss: 8- to 32-bit integers (and unsigned up to 16 bits) in
 * {@code int[]}, 64-bit and unsigned 32/64-bit in {@code long[]}, FP16 and FP32 in {@code float[]}.
 */
public enum Datatype {
    BOOL(boolean[].class, 1),
    UINT8(int[].class, 1),
    UINT16(int[].class, 2),
    UINT32(long[].class, 4),
    UINT64(long[].class, 8),
    INT8(int[].class, 1),
    INT16(int[].class, 2),
    INT32(int[].class, 4),
    INT64(long[].class, 8),
    FP16(float[].class, 2),
    FP32(float[].class, 4),
    FP64(double[].class, 8),
    BYTES(String[].class, -1);

    private final Class<?> storage;
    private final int wireBytes;

    Datatype(Class<?> storage, int wireBytes) {
        this.storage = storage;
        this.wireBytes = wireBytes;
    }

    /** The Java array class that holds this type's values. */
    public Class<?> storage() {
        return storage;
    }

    /** Bytes per element in the binary tensor form; -1 for BYTES (each element is length-prefixed). */
    public int wireBytes() {
        return wireBytes;
    }

    public boolean isNumeric() {
        return this != BOOL && this != BYTES;
    }

    public boolean isFloatingPoint() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    /** Parses a wire name such as {@code FP32}; {@code field} names where it came from in the error. */
    public static Datatype parse(String name, String field) {
        if (name != null) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // falls through to the error below
            }
        }
        throw ScoriaException.badInput(field + " is " + (name == null ? "missing" : "'" + name + "'")
                + ": expected one of " + Arrays.toString(values()));
    }

    /** The natural type of a Java array: what a scorer's {@code double[]} or {@code String[]} is sent as. */
    public static Datatype of(Object data) {
        if (data instanceof double[]) {
            return FP64;
        }
        if (data instanceof float[]) {
            return FP32;
        }
        if (data instanceof long[]) {
            return INT64;
        }
        if (data instanceof int[]) {
            return INT32;
        }
        if (data instanceof boolean[]) {
            return BOOL;
        }
        if (data instanceof String[]) {
            return BYTES;
        }
        throw new IllegalArgumentException(
                "no tensor datatype holds a " + data.getClass().getSimpleName());
    }
}
