package dev.scoria.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.InferenceOutcome;
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
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared inference path: requests of any protocol share admission and batches, and each gets its own answer. */
class InferenceDispatcherTest {

    final ExecutorService workers = Executors.newCachedThreadPool();
    final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    /** Doubles its one input; remembers the protocols of every batch it ran, and can be held shut. */
    static class Doubler implements Predictor {
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public Set<InputKind> accepts() {
            return Set.of(InputKind.TENSORS);
        }

        @Override
        public InferenceResult infer(InferenceRequest request) throws Exception {
            return inferBatch(List.of((TensorRequest) request)).get(0) instanceof InferenceOutcome.Success s
                    ? s.result()
                    : null;
        }

        @Override
        public boolean batchable() {
            return true;
        }

        @Override
        public List<InferenceOutcome> inferBatch(List<TensorRequest> requests) {
            try {
                open.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batches.add(requests.stream().map(TensorRequest::protocol).toList());
            List<InferenceOutcome> out = new ArrayList<>();
            for (TensorRequest r : requests) {
                double[] in = (double[]) r.inputs().get(0).data();
                if (in[0] < 0) {
                    out.add(InferenceOutcome.failed(ScoriaException.badInput("negative")));
                    continue;
                }
                out.add(InferenceOutcome.of(new TensorResult(List.of(NamedTensor.of(
                        "y", Tensor.of(new double[] {in[0] * 2}, 1))))));
            }
            return out;
        }

        @Override
        public IoSchema schema() {
            return IoSchema.unknown();
        }

        @Override
        public void close() {}
    }

    static RequestDecoder request(String protocol, double x) {
        return () -> new TensorRequest(
                "id-" + x,
                protocol,
                List.of(new NamedTensor("x", Datatype.FP64, Tensor.of(new double[] {x}, 1))),
                List.of());
    }

    static CompletableFuture<InferenceResult> dispatch(Predictor p, ServiceScheduler s, RequestDecoder decoder) {
        CompletableFuture<InferenceResult> answer = new CompletableFuture<>();
        InferenceDispatcher.dispatch(p, s, "rid", 10, decoder, null, (result, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(result);
            }
        });
        return answer;
    }

    static double value(CompletableFuture<InferenceResult> answer) throws Exception {
        return ((double[]) ((TensorResult) answer.get(5, TimeUnit.SECONDS))
                        .outputs()
                        .get(0)
                        .data())
                [0];
    }

    @Test
    void azureAndV2RequestsWaitingForTheSameServiceShareABatchAndEachGetsItsOwnAnswer() throws Exception {
        Doubler p = new Doubler();
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 5_000, 8, 0), workers, timers);
        // The first request takes the only slot and is held; the next ones queue and are merged when it ends.
        CompletableFuture<InferenceResult> first = dispatch(p, s, request("azure", 1));
        List<CompletableFuture<InferenceResult>> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(dispatch(p, s, request(i % 2 == 0 ? "v2" : "azure", 10 + i)));
        }
        CompletableFuture<InferenceResult> bad = dispatch(p, s, request("v2", -1));
        CompletableFuture<InferenceResult> undecodable = dispatch(p, s, () -> {
            throw ScoriaException.badInput("not JSON");
        });
        p.open.countDown();
        assertThat(value(first)).isEqualTo(2);
        for (int i = 0; i < 4; i++) {
            assertThat(value(queued.get(i))).isEqualTo(2 * (10 + i));
        }
        assertThat(bad)
                .failsWithin(5, TimeUnit.SECONDS)
                .withThrowableOfType(Exception.class)
                .satisfies(
                        e -> assertThat(((ScoriaException) e.getCause()).kind()).isEqualTo(ErrorKind.BAD_INPUT));
        assertThat(undecodable)
                .failsWithin(5, TimeUnit.SECONDS)
                .withThrowableOfType(Exception.class)
                .withMessageContaining("not JSON");
        // How the queue splits into batches depends on when the first worker gathers; what matters is that
        // every tensor request was scored in a batch and that the protocols met in one.
        assertThat(p.batches.stream().mapToInt(List::size).sum()).isEqualTo(6);
        assertThat(p.batches).anySatisfy(batch -> assertThat(batch).contains("azure", "v2"));
    }
}
