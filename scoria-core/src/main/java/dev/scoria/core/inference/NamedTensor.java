package dev.scoria.core.inference;

import dev.scoria.scorer.Tensor;
import java.lang.reflect.Array;
import java.util.Objects;

/**
 * One input or output of an inference: its name, its element type, and its values and shape. The
 * tensor's array is the one {@link Datatype#storage()} names for the type.
 */
public record NamedTensor(String name, Datatype datatype, Tensor tensor) {

    public NamedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(tensor, "tensor");
        if (!datatype.storage().isInstance(tensor.data())) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + datatype + " but holds a "
                    + tensor.data().getClass().getSimpleName() + ", expected "
                    + datatype.storage().getSimpleName());
        }
    }

    /** A tensor typed by its array: {@code double[]} is FP64, {@code float[]} FP32, and so on. */
    public static NamedTensor of(String name, Tensor tensor) {
        return new NamedTensor(name, Datatype.of(tensor.data()), tensor);
    }

    /** The shape, not copied: do not change it (the scorer API's {@code Tensor} hands out its own array). */
    public long[] shape() {
        return tensor.shape();
    }

    public Object data() {
        return tensor.data();
    }

    /** The number of elements. */
    public int size() {
        return Array.getLength(tensor.data());
    }
}
