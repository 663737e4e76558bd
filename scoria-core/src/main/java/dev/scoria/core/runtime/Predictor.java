package dev.scoria.core.runtime;

import dev.scoria.core.inference.InferenceOutcome;
import dev.scoria.core.inference.InferenceRequest;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.inference.ModelSignature;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.core.service.ServiceLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A loaded service, ready to score protocol-neutral requests. Called concurrently from worker threads,
 * never from an event loop (except through {@link #scoresInline}, or {@link #inferAsync} when it
 * {@link #infersAsync}); {@link #infer} may block. A
 * predictor never sees a protocol: adapters build the request form it {@link #accepts} and turn its
 * typed result into their protocol's answer.
 */
public interface Predictor extends AutoCloseable {

    /** The request forms it takes; an adapter refuses a request it cannot build one of them for. */
    Set<InputKind> accepts();

    /** The tensors it declares (names, types, shapes); {@link ModelSignature#NONE} when it declares none. */
    default ModelSignature signature() {
        return ModelSignature.NONE;
    }

    /**
     * Scores one request of a form it {@link #accepts}. Bad input is a {@link dev.scoria.core.ScoriaException}
     * of kind BAD_INPUT; anything else thrown is a failure of the model or user code.
     */
    InferenceResult infer(InferenceRequest request) throws Exception;

    /**
     * Whether {@link #inferAsync} returns at once, the scoring happening elsewhere (in another process),
     * so that it may be called on an event loop and no thread waits for the answer.
     */
    default boolean infersAsync() {
        return false;
    }

    /**
     * Starts scoring one request; {@code done} is called exactly once with the result or the failure (as
     * {@link #infer} would throw it), on whichever thread the answer arrives, possibly before this returns.
     * Failures go to {@code done}, never thrown. By default the request is scored by {@link #infer} on the
     * calling thread.
     */
    default PendingInference inferAsync(InferenceRequest request, BiConsumer<InferenceResult, Throwable> done) {
        InferenceResult result;
        try {
            result = infer(request);
        } catch (Exception e) {
            done.accept(null, e);
            return PendingInference.ANSWERED;
        }
        done.accept(result, null);
        return PendingInference.ANSWERED;
    }

    /**
     * Whether a request of {@code bodyBytes} scores in a few microseconds of pure CPU, with no I/O and no
     * user code, so that handing it to another thread would cost more than scoring it where it arrived.
     */
    default boolean scoresInline(int bodyBytes) {
        return false;
    }

    /**
     * Why this loaded predictor cannot score right now (say, every worker process it runs died and is
     * being restarted), or null while it can. Called on every request, so it must be cheap.
     */
    default String healthProblem() {
        return null;
    }

    /**
     * Whether {@link #inferBatch} merges tensor requests into one model call. Only runtimes whose model
     * takes any number of rows, and whose results for a row do not depend on the other rows, say yes.
     */
    default boolean batchable() {
        return false;
    }

    /** Scores several tensor requests, in one model call where it can; outcome {@code i} is request {@code i}'s. */
    default List<InferenceOutcome> inferBatch(List<TensorRequest> requests) {
        List<InferenceOutcome> outcomes = new ArrayList<>(requests.size());
        for (TensorRequest request : requests) {
            try {
                outcomes.add(InferenceOutcome.of(infer(request)));
            } catch (Exception e) {
                outcomes.add(InferenceOutcome.failed(e));
            }
        }
        return outcomes;
    }

    /** The service's limits changed while it was loaded: from now on they are {@code limits}. */
    default void limitsChanged(ServiceLimits limits) {}

    /** The service's input and output schema, from which its swagger document is generated. */
    IoSchema schema();

    @Override
    void close();
}
