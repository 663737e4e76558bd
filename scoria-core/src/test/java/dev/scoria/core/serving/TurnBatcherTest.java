package dev.scoria.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.scheduling.ServiceScheduler;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.serving.InferenceDispatcherTest.Doubler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests that arrive in one turn of an event loop are scored together once the turn's reads are done. */
class TurnBatcherTest {

    final ExecutorService workers = Executors.newCachedThreadPool();
    final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    /** The event loop's task queue: what runs once the sockets ready in this turn have been read. */
    final Queue<Runnable> afterTurn = new ArrayDeque<>();

    final TurnBatcher turn = new TurnBatcher(afterTurn::add);

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    /** Inline-capable, like an ONNX model that scores in microseconds. */
    final Doubler inline = new Doubler() {
        @Override
        public boolean scoresInline(int bodyBytes) {
            return bodyBytes < 1_000;
        }
    };

    CompletableFuture<InferenceResult> send(ServiceScheduler s, RequestDecoder decoder, int bodyBytes) {
        CompletableFuture<InferenceResult> answer = new CompletableFuture<>();
        InferenceDispatcher.dispatch(inline, s, "rid", bodyBytes, decoder, turn, (result, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(result);
            }
        });
        return answer;
    }

    ServiceScheduler scheduler(int slots, int maxBatchSize) {
        return new ServiceScheduler("svc", new ServiceLimits(5_000, slots, 5_000, maxBatchSize, 0), workers, timers);
    }

    void endOfTurn() {
        while (!afterTurn.isEmpty()) {
            afterTurn.poll().run();
        }
    }

    @Test
    void requestsReadInOneTurnAreScoredInOneCallAfterItAndEachGetsItsOwnAnswer() throws Exception {
        inline.open.countDown();
        ServiceScheduler s = scheduler(2, 32);
        List<Integer> batchSizes = new ArrayList<>();
        s.onBatch(batchSizes::add);
        List<CompletableFuture<InferenceResult>> answers = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            answers.add(send(s, InferenceDispatcherTest.request(i % 2 == 0 ? "v2" : "azure", i), 100));
        }
        CompletableFuture<InferenceResult> bad = send(s, InferenceDispatcherTest.request("azure", -1), 100);
        CompletableFuture<InferenceResult> undecodable = send(
                s,
                () -> {
                    throw ScoriaException.badInput("not JSON");
                },
                100);
        // Nothing is scored while the turn is still reading sockets, and one flush is scheduled, not seven.
        assertThat(inline.batches).isEmpty();
        assertThat(afterTurn).hasSize(1);
        endOfTurn();
        assertThat(inline.batches).hasSize(1);
        assertThat(inline.batches.get(0)).hasSize(6);
        assertThat(batchSizes).containsExactly(7);
        for (int i = 1; i <= 5; i++) {
            assertThat(InferenceDispatcherTest.value(answers.get(i - 1))).isEqualTo(2.0 * i);
        }
        assertThat(bad).isCompletedExceptionally();
        assertThat(undecodable).isCompletedExceptionally();
        assertThat(s.running()).isZero();
    }

    @Test
    void aBatchHoldsAtMostMaxBatchSizeRequestsAndTheNextTurnStartsAfresh() throws Exception {
        inline.open.countDown();
        ServiceScheduler s = scheduler(2, 3);
        List<CompletableFuture<InferenceResult>> answers = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            answers.add(send(s, InferenceDispatcherTest.request("azure", i), 100));
        }
        endOfTurn();
        assertThat(inline.batches).extracting(List::size).containsExactly(3, 3, 1);
        for (int i = 1; i <= 7; i++) {
            assertThat(InferenceDispatcherTest.value(answers.get(i - 1))).isEqualTo(2.0 * i);
        }
        CompletableFuture<InferenceResult> next = send(s, InferenceDispatcherTest.request("azure", 8), 100);
        assertThat(afterTurn).hasSize(1);
        endOfTurn();
        assertThat(InferenceDispatcherTest.value(next)).isEqualTo(16);
        assertThat(inline.batches).extracting(List::size).containsExactly(3, 3, 1, 1);
    }

    @Test
    void batchingTurnedOffOrALargeRequestScoresAtOnceAsBefore() throws Exception {
        inline.open.countDown();
        CompletableFuture<InferenceResult> unbatched =
                send(scheduler(2, 1), InferenceDispatcherTest.request("azure", 1), 100);
        assertThat(afterTurn).isEmpty();
        assertThat(InferenceDispatcherTest.value(unbatched)).isEqualTo(2);
        CompletableFuture<InferenceResult> large =
                send(scheduler(2, 32), InferenceDispatcherTest.request("azure", 2), 5_000);
        assertThat(afterTurn).isEmpty();
        assertThat(InferenceDispatcherTest.value(large)).isEqualTo(4);
    }

    @Test
    void whenEverySlotIsTakenTheTurnsRequestsQueueAndAreAnsweredWhenOneFrees() throws Exception {
        ServiceScheduler s = scheduler(1, 32);
        // A large request takes the only slot on a worker and is held there.
        CompletableFuture<InferenceResult> holder = send(s, InferenceDispatcherTest.request("azure", 1), 5_000);
        List<CompletableFuture<InferenceResult>> answers = new ArrayList<>();
        for (int i = 2; i <= 4; i++) {
            answers.add(send(s, InferenceDispatcherTest.request("v2", i), 100));
        }
        endOfTurn();
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        inline.open.countDown();
        assertThat(InferenceDispatcherTest.value(holder)).isEqualTo(2);
        for (int i = 2; i <= 4; i++) {
            assertThat(InferenceDispatcherTest.value(answers.get(i - 2))).isEqualTo(2.0 * i);
        }
    }
}
