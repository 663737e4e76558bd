package dev.scoria.core.inference;

import dev.scoria.scorer.Tensor;
import java.lang.reflect.Array;
import java.util.List;

/**
 * Tensors as rows along their first dimension: joining the inputs of several requests into one model
 * call, and cutting the answer back into each request's rows.
 */
public final class TensorRows {

    private TensorRows() {}

    /** The number of rows: the first dimension (1 for a scalar). */
    public static long rows(NamedTensor tensor) {
        long[] shape = tensor.shape();
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Values per row: the product of every dimension after the first. */
    public static int rowSize(long[] shape) {
        long size = 1;
        for (int i = 1; i < shape.length; i++) {
            size *= shape[i];
        }
        return Math.toIntExact(size);
    }

    /** The tensors stacked along the first dimension; all share name, type and the other dimensions. */
    public static NamedTensor concat(List<NamedTensor> parts) {
        NamedTensor first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        long totalRows = 0;
        int length = 0;
        for (NamedTensor part : parts) {
            totalRows += rows(part);
            length += part.size();
        }
        Object data = Array.newInstance(first.datatype().storage().getComponentType(), length);
        int offset = 0;
        for (NamedTensor part : parts) {
            int n = part.size();
            System.arraycopy(part.data(), 0, data, offset, n);
            offset += n;
        }
        long[] shape = first.shape().clone();
        shape[0] = totalRows;
        return new NamedTensor(first.name(), first.datatype(), new Tensor(shape, data));
    }

    /** Rows {@code [from, from + count)} of a tensor whose first dimension is the batch. */
    public static NamedTensor slice(NamedTensor tensor, long from, long count) {
        long[] shape = tensor.shape().clone();
        if (shape.length == 0) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is a scalar: it has no rows to slice");
        }
        int rowSize = rowSize(shape);
        int start = Math.toIntExact(from * rowSize);
        int length = Math.toIntExact(count * rowSize);
        Object data = Array.newInstance(tensor.datatype().storage().getComponentType(), length);
        System.arraycopy(tensor.data(), start, data, 0, length);
        shape[0] = count;
        return new NamedTensor(tensor.name(), tensor.datatype(), new Tensor(shape, data));
    }
}
