package dev.scoria.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.InferenceRequest;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.scheduling.ServiceScheduler;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.scorer.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One large request scored in parts on idle slots: the same answer, in order, the same errors, within the limits. */
class SplitScoringTest {

    final ExecutorService workers = Executors.newCachedThreadPool();
    final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    /** Row-independent: each row's answer is its value plus one, as an [N, 1] output. Remembers its callers. */
    static final class PlusOne implements Predictor {
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> rowsPerCall = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Set<InputKind> accepts() {
            return Set.of(InputKind.TENSORS);
        }

        @Override
        public InferenceResult infer(InferenceRequest request) throws Exception {
            threads.add(Thread.currentThread().getName());
            double[] in = (double[]) ((TensorRequest) request).inputs().get(0).data();
            rowsPerCall.add(in.length);
            double[] out = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                if (in[i] < 0) {
                    throw new IllegalStateException("the model failed on a negative value");
                }
                out[i] = in[i] + 1;
            }
            return new TensorResult(List.of(
                    new NamedTensor("out", Datatype.FP64, new Tensor(new long[] {out.length, 1}, out))));
        }

        @Override
        public boolean batchable() {
            return true;
        }

        @Override
        public IoSchema schema() {
            return null;
        }

        @Override
        public void close() {}
    }

    /**
     * Rows of one value each; a row marked NaN does not decode (bad input, naming its index in the whole
     * request), which a part reports with a message of its own.
     */
    static class Rows implements SplittableDecoder {
        final double[] values;

        Rows(double... values) {
            this.values = values;
        }

        @Override
        public InferenceRequest decode() {
            return request(0, values.length, true);
        }

        @Override
        public List<RequestDecoder> split(int parts) {
            List<RequestDecoder> out = new ArrayList<>();
            for (int k = 0; k < parts; k++) {
                int from = values.length * k / parts;
                int to = values.length * (k + 1) / parts;
                out.add(() -> request(from, to, false));
            }
            return out;
        }

        private TensorRequest request(int from, int to, boolean whole) {
            for (int i = from; i < to; i++) {
                if (Double.isNaN(values[i])) {
                    throw whole
                            ? ScoriaException.badInput("data[" + i + "][0] is not a number")
                            : new IllegalArgumentException("a part of the rows is not plain");
                }
            }
            double[] rows = Arrays.copyOfRange(values, from, to);
            return new TensorRequest(
                    "r",
                    "test",
                    List.of(new NamedTensor("x", Datatype.FP64, new Tensor(new long[] {rows.length, 1}, rows))),
                    List.of());
        }
    }

    static double[] answer(InferenceResult result) {
        return (double[]) ((TensorResult) result).outputs().get(0).data();
    }

    ServiceScheduler scheduler(int slots) {
        return new ServiceScheduler("svc", new ServiceLimits(5_000, slots, 5_000), workers, timers);
    }

    /** Runs as the dispatcher does: in the request's own slot. */
    InferenceResult scoreInASlot(Predictor predictor, ServiceScheduler scheduler, SplittableDecoder rows, int parts)
            throws Exception {
        return scheduler
                .submit(() -> SplitScoring.score(predictor, scheduler, rows, parts))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void partsAreScoredOnFreeSlotsAndJoinedInOrder() throws Exception {
        PlusOne model = new PlusOne();
        double[] values = new double[1000];
        Arrays.setAll(values, i -> i);
        InferenceResult result = scoreInASlot(model, scheduler(4), new Rows(values), 4);
        double[] expected = new double[1000];
        Arrays.setAll(expected, i -> i + 1);
        assertThat(answer(result)).containsExactly(expected);
        assertThat(((TensorResult) result).outputs().get(0).shape()).containsExactly(1000, 1);
        assertThat(model.rowsPerCall).hasSize(4).allMatch(n -> n == 250);
    }

    @Test
    void withNoFreeSlotEveryPartRunsInTheRequestsOwnSlot() throws Exception {
        PlusOne model = new PlusOne();
        InferenceResult result = scoreInASlot(model, scheduler(1), new Rows(1, 2, 3, 4, 5, 6), 3);
        assertThat(answer(result)).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(model.rowsPerCall).containsExactly(2, 2, 2);
        assertThat(Set.copyOf(model.threads)).hasSize(1);
    }

    @Test
    void withNoFreeSlotARequestAllowedToIsScoredWhole() throws Exception {
        PlusOne model = new PlusOne();
        ServiceScheduler scheduler = scheduler(1);
        InferenceResult result = scheduler
                .submit(() -> SplitScoring.score(model, scheduler, new Rows(1, 2, 3, 4, 5, 6), 3, true))
                .get(10, TimeUnit.SECONDS);
        assertThat(answer(result)).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(model.rowsPerCall).containsExactly(6);
    }

    /** Rows whose cutting costs a pass of its own: cut only into idle slots, and counting the times they are cut. */
    static final class CostlyToCut extends Rows {
        final AtomicInteger cut = new AtomicInteger();

        CostlyToCut(double... values) {
            super(values);
        }

        @Override
        public List<RequestDecoder> split(int parts) {
            cut.incrementAndGet();
            return super.split(parts);
        }

        @Override
        public boolean cutsOnlyIntoIdleSlots() {
            return true;
        }
    }

    @Test
    void aRequestCostlyToCutIsNotCutWhenNoSlotIsIdleAndIsWhenOneIs() throws Exception {
        PlusOne whole = new PlusOne();
        CostlyToCut busy = new CostlyToCut(1, 2, 3, 4, 5, 6);
        // One slot, the request's own: none is idle.
        InferenceResult result = scoreInASlot(whole, scheduler(1), busy, 3);
        assertThat(answer(result)).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(busy.cut).hasValue(0);
        assertThat(whole.rowsPerCall).containsExactly(6);

        PlusOne inParts = new PlusOne();
        CostlyToCut idle = new CostlyToCut(1, 2, 3, 4, 5, 6);
        result = scoreInASlot(inParts, scheduler(4), idle, 3);
        assertThat(answer(result)).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(idle.cut).hasValue(1);
        assertThat(inParts.rowsPerCall).containsExactlyInAnyOrder(2, 2, 2);
    }

    @Test
    void withFreeSlotsARequestAllowedToBeWholeIsStillScoredInParts() throws Exception {
        PlusOne model = new PlusOne();
        ServiceScheduler scheduler = scheduler(4);
        double[] values = new double[1000];
        Arrays.setAll(values, i -> i);
        InferenceResult result = scheduler
                .submit(() -> SplitScoring.score(model, scheduler, new Rows(values), 4, true))
                .get(10, TimeUnit.SECONDS);
        assertThat(answer(result)).hasSize(1000).startsWith(1, 2, 3).endsWith(1000);
        assertThat(model.rowsPerCall).hasSize(4).allMatch(n -> n == 250);
    }

    @Test
    void whileOthersHoldTheSlotsAndOneWaitsTheRequestScoresEveryPartItself() throws Exception {
        PlusOne model = new PlusOne();
        ServiceScheduler scheduler = scheduler(2);
        CountDownLatch holdLarge = new CountDownLatch(1);
        CountDownLatch holdOther = new CountDownLatch(1);
        CompletableFuture<InferenceResult> large = scheduler.submit(() -> {
            holdLarge.await();
            return SplitScoring.score(model, scheduler, new Rows(1, 2, 3, 4), 2);
        });
        CompletableFuture<Integer> other = scheduler.submit(() -> {
            holdOther.await();
            return 8;
        });
        CompletableFuture<Integer> waiting = scheduler.submit(() -> 9);
        assertThat(scheduler.queueDepth()).isEqualTo(1);
        holdLarge.countDown();
        assertThat(answer(large.get(5, TimeUnit.SECONDS))).containsExactly(2, 3, 4, 5);
        assertThat(model.rowsPerCall).containsExactly(2, 2);
        assertThat(Set.copyOf(model.threads)).hasSize(1);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(9);
        holdOther.countDown();
        assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo(8);
    }

    @Test
    void aPartThatDoesNotDecodeFailsTheRequestWithTheWholeRequestsError() {
        PlusOne model = new PlusOne();
        double[] values = {1, 2, 3, 4, 5, Double.NaN, 7, 8};
        assertThatThrownBy(() -> scoreInASlot(model, scheduler(4), new Rows(values), 4))
                .hasCauseInstanceOf(ScoriaException.class)
                .cause()
                .hasMessage("data[5][0] is not a number");
    }

    @Test
    void aPartTheModelFailsOnIsScoredAgainWholeAndFailsAsItWould() {
        PlusOne model = new PlusOne();
        assertThatThrownBy(() -> scoreInASlot(model, scheduler(2), new Rows(1, 2, -3, 4), 2))
                .hasCauseInstanceOf(IllegalStateException.class)
                .cause()
                .hasMessage("the model failed on a negative value");
        assertThat(model.rowsPerCall).contains(4);
    }

    @Test
    void throughTheDispatcherALargeRequestIsSplitAndASmallOneIsNot() throws Exception {
        PlusOne model = new PlusOne();
        ServiceScheduler scheduler = scheduler(4);
        CompletableFuture<InferenceResult> done = new CompletableFuture<>();
        InferenceDispatcher.dispatch(
                model,
                scheduler,
                "r",
                10 * SplitScoring.MIN_PART_BYTES,
                new Rows(1, 2, 3, 4),
                null,
                (result, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else {
                        done.complete(result);
                    }
                });
        assertThat(answer(done.get(5, TimeUnit.SECONDS))).containsExactly(2, 3, 4, 5);
        assertThat(SplitScoring.parts(10 * SplitScoring.MIN_PART_BYTES))
                .isEqualTo(Math.min(
                        10, SplitScoring.PARTS_PER_CORE * Runtime.getRuntime().availableProcessors()));
        assertThat(SplitScoring.parts(SplitScoring.MIN_PART_BYTES)).isEqualTo(1);
    }

    /** Rows whose parts say when they read, held until let go; remembers whether the body was said read meanwhile. */
    static final class HeldRows extends Rows {
        final CountDownLatch letGo = new CountDownLatch(1);
        final AtomicInteger reading = new AtomicInteger();
        final AtomicInteger partsRead = new AtomicInteger();
        final AtomicInteger saidRead = new AtomicInteger();
        final AtomicBoolean saidReadWhileReading = new AtomicBoolean();

        HeldRows(double... values) {
            super(values);
        }

        @Override
        public List<RequestDecoder> split(int parts) {
            List<RequestDecoder> held = new ArrayList<>();
            for (RequestDecoder part : super.split(parts)) {
                held.add(() -> {
                    reading.incrementAndGet();
                    try {
                        // Not interruptible, as a model call in native code is not.
                        while (letGo.getCount() > 0) {
                            LockSupport.parkNanos(1_000_000);
                        }
                        return part.decode();
                    } finally {
                        partsRead.incrementAndGet();
                        reading.decrementAndGet();
                    }
                });
            }
            return held;
        }

        @Override
        public void read() {
            if (reading.get() > 0) {
                saidReadWhileReading.set(true);
            }
            saidRead.incrementAndGet();
        }
    }

    static CompletableFuture<InferenceResult> dispatch(Predictor model, ServiceScheduler scheduler, Rows rows) {
        CompletableFuture<InferenceResult> done = new CompletableFuture<>();
        InferenceDispatcher.dispatch(
                model, scheduler, "r", 10 * SplitScoring.MIN_PART_BYTES, rows, null, (result, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else {
                        done.complete(result);
                    }
                });
        return done;
    }

    @Test
    void theBodyIsSaidReadOnceEveryPartHasReadIt() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "a request is split only on several cores");
        HeldRows rows = new HeldRows(1, 2, 3, 4, 5, 6, 7, 8);
        CompletableFuture<InferenceResult> done = dispatch(new PlusOne(), scheduler(4), rows);
        Thread.sleep(50);
        assertThat(rows.saidRead).hasValue(0);
        rows.letGo.countDown();
        assertThat(answer(done.get(5, TimeUnit.SECONDS))).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(rows.saidRead).hasValue(1);
        assertThat(rows.saidReadWhileReading).isFalse();
    }

    @Test
    void aRequestAnswered504IsNeverSaidReadWhileItsPartsStillRead() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "a request is split only on several cores");
        HeldRows rows = new HeldRows(1, 2, 3, 4, 5, 6, 7, 8);
        ServiceScheduler scheduler = new ServiceScheduler("svc", new ServiceLimits(100, 4, 5_000), workers, timers);
        CompletableFuture<InferenceResult> done = dispatch(new PlusOne(), scheduler, rows);
        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ScoriaException.class)
                .hasMessageContaining("scoringTimeoutMs");
        assertThat(rows.reading.get())
                .as("parts still reading after the answer")
                .isPositive();
        rows.letGo.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rows.reading.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        assertThat(rows.reading).hasValue(0);
        // A job cut short (interrupted in its wait for the parts) leaves the body to the collector; one whose
        // interrupt comes late (the timer's thread descheduled on a busy machine) ends normally, after every part.
        assertThat(rows.saidRead.get()).isLessThanOrEqualTo(1);
        assertThat(rows.saidReadWhileReading).isFalse();
    }

    @Test
    void aRequestThatFailsIsNeverSaidRead() {
        HeldRows rows = new HeldRows(1, 2, Double.NaN, 4, 5, 6, 7, 8);
        rows.letGo.countDown();
        CompletableFuture<InferenceResult> done = dispatch(new PlusOne(), scheduler(4), rows);
        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ScoriaException.class);
        assertThat(rows.saidRead).hasValue(0);
    }
}
