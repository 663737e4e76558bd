package dev.scoria.scorer;

import java.util.Arrays;
import java.util.Objects;

/**
 * One input or output a {@link TensorScorer} declares: its name, its Open Inference Protocol datatype
 * ({@code FP64}, {@code FP32}, {@code INT64}, {@code INT32}, {@code BOOL}, {@code BYTES}, …) and its shape, -1
 * for a dimension of any size. The datatype is checked when the service is deployed.
 */
public record DeclaredTensor(String name, String datatype, long... shape) {

    public DeclaredTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(shape, "shape");
        for (long d : shape) {
            if (d < -1) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + ": expected sizes of 0 or more, or -1 for any size");
            }
        }
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeclaredTensor t
                && t.name.equals(name)
                && t.datatype.equals(datatype)
                && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "'" + name + "' " + datatype + " " + Arrays.toString(shape);
    }
}
