package dev.scoria.core.inference;

import java.util.Arrays;
import java.util.Objects;

/** What a model declares for one input or output: its name, type and shape, -1 for a dimension of any size. */
public record TensorSpec(String name, Datatype datatype, long[] shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Whether a tensor of {@code actual} shape fits: the same rank, and every fixed dimension equal. */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    /** E.g. {@code 'input' FP64 [-1, 10]}, for error messages. */
    public String describe() {
        return "'" + name + "' " + datatype + " " + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t
                && t.name.equals(name)
                && t.datatype == datatype
                && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }
}
