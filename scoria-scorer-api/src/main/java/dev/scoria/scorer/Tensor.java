package dev.scoria.scorer;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as plain Java data: a shape and its values flattened in row-major order, in one of
 * {@code float[]}, {@code double[]}, {@code long[]}, {@code int[]}, {@code boolean[]} or {@code String[]}.
 */
public record Tensor(long[] shape, Object data) {

    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            count *= d;
        }
        int length = Array.getLength(data);
        if (!(data instanceof float[]
                || data instanceof double[]
                || data instanceof long[]
                || data instanceof int[]
                || data instanceof boolean[]
                || data instanceof String[])) {
            throw new IllegalArgumentException(
                    "tensor data must be a float[], double[], long[], int[], boolean[] or String[]");
        }
        if (length != count) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + count + " values, data has " + length);
        }
        shape = shape.clone();
    }

    public static Tensor of(float[] data, long... shape) {
        return new Tensor(shape, data);
    }

    public static Tensor of(double[] data, long... shape) {
        return new Tensor(shape, data);
    }

    public static Tensor of(long[] data, long... shape) {
        return new Tensor(shape, data);
    }

    /** The values as doubles, whatever their type (strings and booleans excepted). */
    public double[] asDoubles() {
        if (data instanceof double[] d) {
            return d;
        }
        int n = Array.getLength(data);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            Object v = Array.get(data, i);
            if (!(v instanceof Number number)) {
                throw new IllegalStateException(
                        "tensor of " + data.getClass().getComponentType() + " has no numeric values");
            }
            out[i] = number.doubleValue();
        }
        return out;
    }

    public float[] asFloats() {
        if (data instanceof float[] f) {
            return f;
        }
        double[] d = asDoubles();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    public long[] asLongs() {
        if (data instanceof long[] l) {
            return l;
        }
        double[] d = asDoubles();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "Tensor[" + data.getClass().getComponentType() + Arrays.toString(shape) + "]";
    }
}
