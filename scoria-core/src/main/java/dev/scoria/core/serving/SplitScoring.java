package dev.scoria.core.serving;

import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.core.inference.TensorRows;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.scheduling.ServiceScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores one large request to a row-independent model on several cores: its rows are cut into parts,
 * each decoded and scored on its own, and the answers stacked in order. The request's own slot runs
 * parts; helpers run parts only in slots that are free with nobody waiting, so the service's
 * concurrency limit holds and a waiting request is never passed over (under load there are no free
 * slots and the request is scored whole, as before). Any part that fails makes the whole request be
 * decoded and scored again in one piece, so that a bad request gets the answer it always got.
 */
public final class SplitScoring {

    /** Below this, a part's work (~40 µs to parse and score 200 rows) is near what handing it over costs. */
    public static final int MIN_PART_BYTES = 32 * 1024;

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private SplitScoring() {}

    /** Whether a request of {@code bodyBytes} to this predictor is worth cutting, if it can be. */
    static boolean worthIt(Predictor predictor, int bodyBytes) {
        return CORES > 1 && predictor.batchable() && bodyBytes >= 2 * MIN_PART_BYTES;
    }

    /**
     * Parts per core: a thread that finishes early takes the parts left, so a helper that starts late (its
     * core busy with other work) delays the request by one small part, not by half of it.
     */
    static final int PARTS_PER_CORE = 4;

    /** Into how many parts a body of {@code bodyBytes} is cut: a few a core, each of at least {@link #MIN_PART_BYTES}. */
    static int parts(int bodyBytes) {
        return Math.max(1, Math.min(CORES * PARTS_PER_CORE, bodyBytes / MIN_PART_BYTES));
    }

    /**
     * Below this, a request that finds no free slot for a helper is scored whole: its parts on its own thread
     * would only add model calls (about 14 µs each for the demo model, by the profiles' model-call shares at 1,000
     * and 10,000 rows; 5 more for a 1,000-row request, some 8 % of its CPU). Above it, parts on one thread still keep each part's values small (read into the thread's
     * scratch array) where a whole read would allocate them at the body's estimate.
     */
    public static final int WHOLE_WITHOUT_HELPERS_MAX_BYTES = 512 * 1024;

    /** Runs in the request's slot, on a scheduler thread; {@code wanted} parts at most. */
    static InferenceResult score(Predictor predictor, ServiceScheduler scheduler, SplittableDecoder decoder, int wanted)
            throws Exception {
        return score(predictor, scheduler, decoder, wanted, false);
    }

    /** As above; {@code wholeWithoutHelpers}: score the request whole when no slot is free for a helper. */
    static InferenceResult score(
            Predictor predictor,
            ServiceScheduler scheduler,
            SplittableDecoder decoder,
            int wanted,
            boolean wholeWithoutHelpers)
            throws Exception {
        if (wanted > 1 && decoder.cutsOnlyIntoIdleSlots() && !scheduler.hasIdleSlot()) {
            return predictor.infer(decoder.decode());
        }
        List<RequestDecoder> parts = wanted > 1 ? decoder.split(wanted) : List.of();
        if (parts.size() < 2) {
            return predictor.infer(decoder.decode());
        }
        Parts run = new Parts(predictor, parts);
        // Each helper takes parts until none is left; the request's own thread takes them too.
        int helpers = 0;
        int wantedHelpers = Math.min(CORES, parts.size()) - 1;
        while (helpers < wantedHelpers && scheduler.tryRunAside(run::work)) {
            helpers++;
        }
        if (helpers == 0 && wholeWithoutHelpers) {
            return predictor.infer(decoder.decode());
        }
        run.work();
        run.done.await();
        InferenceResult joined = run.failed ? null : join(run.results);
        return joined != null ? joined : predictor.infer(decoder.decode());
    }

    /** The parts' outputs stacked, or null when they do not stack (not tensors, or differing outputs). */
    static TensorResult join(TensorResult[] results) {
        List<NamedTensor> first = results[0].outputs();
        List<NamedTensor> joined = new ArrayList<>(first.size());
        for (int k = 0; k < first.size(); k++) {
            List<NamedTensor> column = new ArrayList<>(results.length);
            for (TensorResult result : results) {
                if (result.outputs().size() != first.size()
                        || !result.outputs().get(k).name().equals(first.get(k).name())
                        || result.outputs().get(k).datatype() != first.get(k).datatype()
                        || result.outputs().get(k).shape().length == 0) {
                    return null;
                }
                column.add(result.outputs().get(k));
            }
            joined.add(TensorRows.concat(column));
        }
        return new TensorResult(joined);
    }

    /** The parts of one request, taken one at a time by whichever thread is free. */
    private static final class Parts {
        final Predictor predictor;
        final List<RequestDecoder> decoders;
        final TensorResult[] results;
        final AtomicInteger next = new AtomicInteger();
        final CountDownLatch done;
        volatile boolean failed;

        Parts(Predictor predictor, List<RequestDecoder> decoders) {
            this.predictor = predictor;
            this.decoders = decoders;
            this.results = new TensorResult[decoders.size()];
            this.done = new CountDownLatch(decoders.size());
        }

        void work() {
            int i;
            while ((i = next.getAndIncrement()) < decoders.size()) {
                try {
                    if (!failed) {
                        InferenceResult result = predictor.infer(decoders.get(i).decode());
                        if (result instanceof TensorResult tensors) {
                            results[i] = tensors;
                        } else {
                            failed = true;
                        }
                    }
                } catch (Throwable e) {
                    failed = true;
                } finally {
                    done.countDown();
                }
            }
        }
    }
}
