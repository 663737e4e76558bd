package dev.scoria.server.http.azure;

import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.inference.TensorSpec;
import dev.scoria.core.input.DataMatrixReader;
import dev.scoria.core.input.DataRowsSplitter;
import dev.scoria.core.input.DenseMatrix;
import dev.scoria.core.input.RowsPart;
import dev.scoria.core.serving.RequestDecoder;
import dev.scoria.core.serving.SplittableDecoder;
import dev.scoria.server.http.BodyBytes;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code {"data"}} body read as the model's one input, whole or in parts of whole rows (for a large body
 * scored on several cores). A part reads only plain rows of numbers; anything else fails the part, and
 * the body is then read whole, which says what is wrong with it.
 */
final class DataRowsDecoder implements SplittableDecoder {

    private final String requestId;
    private final BodyBytes body;
    private final List<TensorSpec> inputs;
    private final Runnable read;

    /** @param read says the body is read and its bytes may be reused */
    DataRowsDecoder(String requestId, BodyBytes body, List<TensorSpec> inputs, Runnable read) {
        this.requestId = requestId;
        this.body = body;
        this.inputs = inputs;
        this.read = read;
    }

    @Override
    public TensorRequest decode() {
        return request(AzureRequests.readData(body, inputs));
    }

    @Override
    public List<RequestDecoder> split(int parts) {
        List<RowsPart> cuts = DataRowsSplitter.split(body.array(), body.offset(), body.length(), parts);
        List<RequestDecoder> decoders = new ArrayList<>(cuts.size());
        for (RowsPart part : cuts) {
            decoders.add(() -> request(readPart(part)));
        }
        return decoders;
    }

    @Override
    public void read() {
        read.run();
    }

    private NamedTensor readPart(RowsPart part) {
        TensorSpec spec = AzureRequests.dataInput(inputs);
        DataMatrixReader reader = AzureRequests.reader(spec);
        DenseMatrix matrix = reader.readPart(body.array(), part);
        if (matrix == null) {
            throw new IllegalArgumentException("not plain rows: the body is read whole");
        }
        return AzureRequests.tensor(spec, matrix);
    }

    private TensorRequest request(NamedTensor input) {
        return new TensorRequest(requestId, AzureScoreRoute.PROTOCOL, List.of(input), List.of());
    }
}
