package dev.scoria.server.http.v2;

import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.serving.RequestDecoder;
import dev.scoria.core.serving.SplittableDecoder;
import dev.scoria.server.http.BodyBytes;
import dev.scoria.server.http.ScoringExchange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An inference request read as tensors, whole or, for a large JSON request of one input whose data is a flat
 * list, in parts of whole rows (each part's values read from where they lie in the body) that a
 * row-independent model scores on several cores, as the Azure route's large requests are. A part that does
 * not read as plain numbers fails, and the request is then read whole, which says what is wrong with it.
 */
final class V2TensorDecoder implements SplittableDecoder {

    private final String requestId;
    private final BodyBytes body;
    private final int headerLength;
    private final ScoringExchange exchange;
    private final Consumer<V2Request> read;

    /** @param read is told the request as read (its id and the outputs asked for), for the answer */
    V2TensorDecoder(
            String requestId, BodyBytes body, int headerLength, ScoringExchange exchange, Consumer<V2Request> read) {
        this.requestId = requestId;
        this.body = body;
        this.headerLength = headerLength;
        this.exchange = exchange;
        this.read = read;
    }

    @Override
    public TensorRequest decode() {
        V2Request request;
        try {
            request = V2RequestReader.read(body.array(), body.offset(), body.length(), headerLength);
        } finally {
            // Every value is copied out of the body as it is read: once read, nothing looks at it again.
            exchange.bodyRead();
        }
        read.accept(request);
        return new TensorRequest(requestId, V2Routes.PROTOCOL, request.inputs(), request.outputs());
    }

    @Override
    public List<RequestDecoder> split(int parts) {
        if (headerLength >= 0) {
            return List.of();
        }
        V2JsonScanner.Layout layout = V2JsonScanner.layout(body.array(), body.offset(), body.length(), parts);
        if (layout == null || layout.parts() < 2) {
            return List.of();
        }
        // What the answer needs of the request: the scanner reads only requests without "outputs" or "parameters".
        read.accept(new V2Request(layout.id(), List.of(), List.of(), Set.of(), false));
        List<RequestDecoder> decoders = new ArrayList<>(layout.parts());
        for (int i = 0; i < layout.parts(); i++) {
            int part = i;
            decoders.add(() -> new TensorRequest(
                    requestId, V2Routes.PROTOCOL, List.of(part(body.array(), layout, part)), List.of()));
        }
        return decoders;
    }

    /**
     * Part {@code i} of a request's one input: its rows' values read from where they lie and typed and checked
     * as the whole input would be. Throws when they are not plain numbers, or not as many as its rows hold.
     */
    static NamedTensor part(byte[] body, V2JsonScanner.Layout layout, int i) {
        long[] shape = Arrays.copyOf(layout.input().shape, layout.input().shape.length);
        shape[0] = layout.rowsBefore(i + 1) - layout.rowsBefore(i);
        Values values = V2JsonScanner.flatValues(
                body, layout.partFrom(i), layout.partTo(i), (int) (shape[0] * layout.perRow()));
        if (values == null) {
            throw new IllegalArgumentException("part " + i + " is not plain numbers: the request is read whole");
        }
        V2RequestReader.RawInput input = new V2RequestReader.RawInput();
        input.name = layout.input().name;
        input.datatype = layout.input().datatype;
        input.shape = shape;
        input.values = values;
        return V2RequestReader.jsonTensor(input);
    }

    /** Finding the rows' boundaries is a pass over the whole body: worth it only when other cores take parts. */
    @Override
    public boolean cutsOnlyIntoIdleSlots() {
        return true;
    }

    @Override
    public void read() {
        exchange.bodyRead();
    }
}
