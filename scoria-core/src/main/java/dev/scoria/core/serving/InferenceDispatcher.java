package dev.scoria.core.serving;

import dev.scoria.core.inference.InferenceOutcome;
import dev.scoria.core.inference.InferenceRequest;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.scheduling.ServiceScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.slf4j.MDC;

/**
 * Runs one request on a loaded predictor under its service's admission control. A small request to a
 * predictor that scores in microseconds runs where it arrived when a slot is free; a request to a
 * batching predictor may be merged with others waiting (whatever protocol they came by) into one model
 * call; a predictor that scores in another process is handed the request where it arrived and answers
 * from the thread that reads the answer; anything else runs on a worker thread. Each request's result, or its own failure, is handed to
 * its completion exactly once.
 */
public final class InferenceDispatcher {

    /** Lines logged while a request is scored (by Scoria or a scorer through SLF4J) carry its id under this key. */
    public static final String MDC_REQUEST_ID = "requestId";

    private InferenceDispatcher() {}

    /**
     * @param requestId the id to log under while scoring (the decoded request carries it too)
     * @param bodyBytes the size of what will be decoded, which decides whether inline scoring may pay off
     * @param turn the calling event loop's batcher, which holds a small request to a batching predictor
     *     until the loop's ready sockets are read, to score it with the others that came; null off an event
     *     loop
     * @param done called with the result or the failure (unwrapped), on the scoring thread (for an
     *     asynchronous predictor, the thread its answer arrived on); a failure is a
     *     {@link dev.scoria.core.ScoriaException} for bad input, admission, timeouts, or what the model threw
     */
    public static void dispatch(
            Predictor predictor,
            ServiceScheduler scheduler,
            String requestId,
            int bodyBytes,
            RequestDecoder decoder,
            TurnBatcher turn,
            BiConsumer<InferenceResult, Throwable> done) {
        if (turn != null && TurnBatcher.takes(predictor, scheduler, bodyBytes)) {
            turn.add(predictor, scheduler, requestId, bodyBytes, decoder, done);
            return;
        }
        if (predictor.scoresInline(bodyBytes) && scheduler.tryRunInline(() -> runHere(predictor, decoder, done))) {
            return;
        }
        if (predictor.infersAsync()) {
            scheduler
                    .<InferenceResult>submitAsync(answered -> startAsync(predictor, requestId, decoder, answered))
                    .whenComplete((result, error) -> done.accept(result, error == null ? null : unwrap(error)));
            return;
        }
        if (decoder instanceof SplittableDecoder rows && SplitScoring.worthIt(predictor, bodyBytes)) {
            // Large: no use merging it with others; its rows may be scored on several cores instead.
            scheduler
                    .submit(() -> {
                        MDC.put(MDC_REQUEST_ID, requestId);
                        try {
                            InferenceResult result = SplitScoring.score(
                                    predictor,
                                    scheduler,
                                    rows,
                                    SplitScoring.parts(bodyBytes),
                                    bodyBytes <= SplitScoring.WHOLE_WITHOUT_HELPERS_MAX_BYTES);
                            // Here, not where the answer is sent: one answered 504 is still being read until now.
                            rows.read();
                            return result;
                        } finally {
                            MDC.remove(MDC_REQUEST_ID);
                        }
                    })
                    .whenComplete((result, error) -> done.accept(result, error == null ? null : unwrap(error)));
            return;
        }
        if (predictor.batchable()) {
            scheduler
                    .<RequestDecoder, InferenceOutcome>submitBatchable(
                            predictor, decoder, decoders -> runBatch(predictor, decoders))
                    .whenComplete((outcome, error) -> {
                        if (error != null) {
                            done.accept(null, unwrap(error));
                        } else if (outcome instanceof InferenceOutcome.Success success) {
                            done.accept(success.result(), null);
                        } else {
                            done.accept(null, ((InferenceOutcome.Failure) outcome).error());
                        }
                    });
            return;
        }
        scheduler
                .submit(() -> {
                    MDC.put(MDC_REQUEST_ID, requestId);
                    try {
                        return predictor.infer(decoder.decode());
                    } finally {
                        MDC.remove(MDC_REQUEST_ID);
                    }
                })
                .whenComplete((result, error) -> done.accept(result, error == null ? null : unwrap(error)));
    }

    private static Runnable startAsync(
            Predictor predictor,
            String requestId,
            RequestDecoder decoder,
            BiConsumer<InferenceResult, Throwable> answered)
            throws Exception {
        MDC.put(MDC_REQUEST_ID, requestId);
        try {
            return predictor.inferAsync(decoder.decode(), answered)::abandon;
        } finally {
            MDC.remove(MDC_REQUEST_ID);
        }
    }

    private static void runHere(
            Predictor predictor, RequestDecoder decoder, BiConsumer<InferenceResult, Throwable> done) {
        InferenceResult result;
        try {
            result = predictor.infer(decoder.decode());
        } catch (Throwable e) {
            done.accept(null, e);
            return;
        }
        done.accept(result, null);
    }

    /**
     * Decodes every request of a batch (one that does not decode fails alone), scores the tensor
     * requests in one call, and any other form alone.
     */
    static List<InferenceOutcome> runBatch(Predictor predictor, List<RequestDecoder> decoders) {
        List<InferenceOutcome> outcomes = new ArrayList<>(decoders.size());
        List<TensorRequest> tensors = new ArrayList<>(decoders.size());
        List<Integer> owners = new ArrayList<>(decoders.size());
        for (int i = 0; i < decoders.size(); i++) {
            outcomes.add(null);
            try {
                InferenceRequest request = decoders.get(i).decode();
                if (request instanceof TensorRequest tensor) {
                    tensors.add(tensor);
                    owners.add(i);
                } else {
                    outcomes.set(i, InferenceOutcome.of(predictor.infer(request)));
                }
            } catch (Exception e) {
                outcomes.set(i, InferenceOutcome.failed(e));
            }
        }
        if (!tensors.isEmpty()) {
            List<InferenceOutcome> scored = predictor.inferBatch(tensors);
            for (int k = 0; k < owners.size(); k++) {
                outcomes.set(owners.get(k), scored.get(k));
            }
        }
        return outcomes;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
