package dev.scoria.core.serving;

import dev.scoria.core.inference.InferenceOutcome;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.scheduling.ServiceScheduler;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Batching with no added wait for requests that score inline on one event loop. A model call costs a
 * fixed few microseconds (the runtime's call overhead) whatever its rows, and at a few concurrent
 * connections that overhead is most of the request. The event loop reads every socket that is ready
 * before it runs its queued tasks; so a small request to a batching predictor is held until that
 * point, and every request to the same predictor read in the same turn is scored in one call. A
 * request alone in its turn is scored on its own, one task hop later than without this. Not thread
 * safe: one per event loop, used only on it.
 */
public final class TurnBatcher {

    private final Executor afterThisTurn;
    private final Map<Predictor, Group> groups = new IdentityHashMap<>();
    private boolean flushScheduled;

    /** @param afterThisTurn runs a task on this event loop once the sockets ready now have been read */
    public TurnBatcher(Executor afterThisTurn) {
        this.afterThisTurn = afterThisTurn;
    }

    /** Whether a request of {@code bodyBytes} to {@code predictor} is one this batcher takes. */
    static boolean takes(Predictor predictor, ServiceScheduler scheduler, int bodyBytes) {
        return predictor.batchable() && scheduler.limits().maxBatchSize() > 1 && predictor.scoresInline(bodyBytes);
    }

    void add(
            Predictor predictor,
            ServiceScheduler scheduler,
            String requestId,
            int bodyBytes,
            RequestDecoder decoder,
            BiConsumer<InferenceResult, Throwable> done) {
        groups.computeIfAbsent(predictor, p -> new Group(p, scheduler))
                .waiting
                .add(new Waiting(requestId, bodyBytes, decoder, done));
        if (!flushScheduled) {
            flushScheduled = true;
            afterThisTurn.execute(this::flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        List<Group> due = new ArrayList<>(groups.values());
        groups.clear();
        for (Group group : due) {
            int most = group.scheduler.limits().maxBatchSize();
            List<Waiting> all = group.waiting;
            for (int from = 0; from < all.size(); from += most) {
                run(group, all.subList(from, Math.min(all.size(), from + most)));
            }
        }
    }

    private static void run(Group group, List<Waiting> batch) {
        if (batch.size() > 1 && group.scheduler.tryRunInline(batch.size(), () -> score(group.predictor, batch))) {
            return;
        }
        // Alone, or every slot busy: the ordinary path (inline if a slot frees, else queued and batched there).
        for (Waiting w : batch) {
            InferenceDispatcher.dispatch(
                    group.predictor, group.scheduler, w.requestId, w.bodyBytes, w.decoder, null, w.done);
        }
    }

    private static void score(Predictor predictor, List<Waiting> batch) {
        List<RequestDecoder> decoders = new ArrayList<>(batch.size());
        for (Waiting w : batch) {
            decoders.add(w.decoder);
        }
        List<InferenceOutcome> outcomes;
        try {
            outcomes = InferenceDispatcher.runBatch(predictor, decoders);
        } catch (RuntimeException e) {
            batch.forEach(w -> w.done.accept(null, e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            InferenceOutcome outcome = outcomes.get(i);
            BiConsumer<InferenceResult, Throwable> done = batch.get(i).done;
            if (outcome instanceof InferenceOutcome.Success success) {
                done.accept(success.result(), null);
            } else {
                done.accept(null, ((InferenceOutcome.Failure) outcome).error());
            }
        }
    }

    private record Waiting(
            String requestId, int bodyBytes, RequestDecoder decoder, BiConsumer<InferenceResult, Throwable> done) {}

    private static final class Group {
        final Predictor predictor;
        final ServiceScheduler scheduler;
        final List<Waiting> waiting = new ArrayList<>();

        Group(Predictor predictor, ServiceScheduler scheduler) {
            this.predictor = predictor;
            this.scheduler = scheduler;
        }
    }
}
