package dev.scoria.scorer;

import java.util.List;
import java.util.Map;

/**
 * A scorer of named tensors: what Open Inference Protocol clients ({@code POST /v2/models/{name}/infer})
 * send. Scoria decodes the request's inputs (JSON or the binary tensor extension) into {@link Tensor}s
 * keyed by input name, and encodes the returned tensors as the response's outputs, each typed by its
 * array ({@code double[]} FP64, {@code float[]} FP32, {@code long[]} INT64, {@code int[]} INT32,
 * {@code boolean[]} BOOL, {@code String[]} BYTES).
 *
 * <p>Implement it alone (the service then takes only tensor requests), or beside {@link JsonScorer}:
 * Azure ML v1 requests ({@code {"data": …}}) go to {@code run}, Open Inference Protocol requests to
 * {@link #infer}. Inputs arrive as INT8–INT32 and UINT8–UINT16 in {@code int[]}, INT64 and UINT32–64 in
 * {@code long[]}, FP16/FP32 in {@code float[]}. A thrown {@link IllegalArgumentException} is answered
 * 400 with its message (say which input is wrong and why); any other exception 502.
 */
public interface TensorScorer extends Scorer {

    Map<String, Tensor> infer(Map<String, Tensor> inputs) throws Exception;

    /**
     * The inputs it takes, as the model's metadata ({@code GET /v2/models/{name}}) lists them. When it declares
     * any, a request is checked against them before {@link #infer} is called: every declared input present, none
     * other, each of its datatype and a fitting shape; a mismatch is answered 400 naming the input, what was
     * expected and what was sent. Azure's {@code {"data": [[...]]}} rows then arrive as its one input, if it
     * declares one of two dimensions, in its datatype. Empty (the default): it declares none, and takes any tensors.
     */
    default List<DeclaredTensor> inputs() {
        return List.of();
    }

    /**
     * The outputs it gives, as the model's metadata lists them. When it declares any, a request asking for
     * another output is answered 400. Empty (the default): it declares none.
     */
    default List<DeclaredTensor> outputs() {
        return List.of();
    }
}
