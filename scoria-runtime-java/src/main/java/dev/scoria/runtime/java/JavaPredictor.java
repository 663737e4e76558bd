package dev.scoria.runtime.java;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.InferenceRequest;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.inference.JsonResult;
import dev.scoria.core.inference.ModelSignature;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.PayloadRequest;
import dev.scoria.core.inference.PayloadResult;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.RawScorer;
import dev.scoria.scorer.ScoreRequest;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.Scorer;
import dev.scoria.scorer.ServiceLogger;
import dev.scoria.scorer.Tensor;
import dev.scoria.scorer.TensorScorer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loaded Java scorer. Each call runs on one of the service's own daemon threads while the caller
 * waits at most {@code scoringTimeoutMs}: user code that never returns costs a thread, never a server
 * worker, and never keeps the JVM from exiting; and a service holds at most its concurrency limit of
 * such threads ({@link ScorerCalls}), so a scorer that spins forever cannot take every core. What the
 * scorer throws is rethrown as it is (the server answers 502), an {@link OutOfMemoryError} included;
 * only errors of the request itself are {@link ScoriaException}s.
 */
final class JavaPredictor implements Predictor {

    private final String serviceName;
    private final ScorerFactory factory;
    private final ScorerInstances instances;
    private final JsonInputBinder binder;
    private final JsonAnswers answers = new JsonAnswers();
    private final IoSchema schema;
    private final ModelSignature signature;
    private final ExecutorService executor;
    private final OnnxSessions sessions;
    private final ScorerClassLoader loader;
    private final Set<InputKind> accepts;
    /** The service's scoringTimeoutMs as it is now: an update changes it without a reload. */
    private volatile long timeoutMs;
    /** The service's maxConcurrentRequestsPerContainer as it is now: how many scorer threads it may hold. */
    private volatile int concurrencyLimit;

    private final ScorerCalls calls = new ScorerCalls();

    private final ServiceLogger log;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param binder null for a {@link RawScorer} */
    JavaPredictor(
            String serviceName,
            ScorerFactory factory,
            ScorerInstances instances,
            JsonInputBinder binder,
            IoSchema schema,
            ModelSignature signature,
            ExecutorService executor,
            OnnxSessions sessions,
            ScorerClassLoader loader,
            ServiceLimits limits,
            ServiceLogger log) {
        this.serviceName = serviceName;
        this.factory = factory;
        this.instances = instances;
        this.binder = binder;
        this.schema = schema;
        this.signature = signature;
        this.executor = executor;
        this.sessions = sessions;
        this.loader = loader;
        this.timeoutMs = limits.scoringTimeoutMs();
        this.concurrencyLimit = limits.maxConcurrentRequestsPerContainer();
        this.log = log;
        Set<InputKind> kinds = EnumSet.noneOf(InputKind.class);
        if (factory.raw()) {
            kinds.add(InputKind.PAYLOAD);
        }
        if (factory.json()) {
            kinds.add(InputKind.JSON);
        }
        if (factory.tensors()) {
            kinds.add(InputKind.TENSORS);
        }
        this.accepts = Set.copyOf(kinds);
    }

    @Override
    public Set<InputKind> accepts() {
        return accepts;
    }

    @Override
    public void limitsChanged(ServiceLimits limits) {
        timeoutMs = limits.scoringTimeoutMs();
        concurrencyLimit = limits.maxConcurrentRequestsPerContainer();
        instances.resize(limits.maxConcurrentRequestsPerContainer());
    }

    @Override
    public IoSchema schema() {
        return schema;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    /** Unhealthy while calls that ignored their interrupt hold as many threads as the service may leave behind. */
    @Override
    public String healthProblem() {
        int stuck = calls.abandoned();
        return stuck >= ScorerCalls.abandonedLimit(concurrencyLimit) ? stuckMessage(stuck) : null;
    }

    private String stuckMessage(int stuck) {
        return stuck + " scorer call(s) of service '" + serviceName + "' are still running after their request"
                + " passed scoringTimeoutMs and ignored the interrupt, the most it may leave behind ("
                + ScorerCalls.abandonedLimit(concurrencyLimit) + ": maxConcurrentRequestsPerContainer, at least "
                + ScorerCalls.MIN_ABANDONED + "): it scores again when one of them returns, or once redeployed"
                + " (see scoria service logs " + serviceName + ")";
    }

    @Override
    public InferenceResult infer(InferenceRequest request) throws Exception {
        if (closed.get()) {
            throw new ScoriaException(ErrorKind.NOT_READY, "service '" + serviceName + "' is being unloaded");
        }
        // Bound before an instance is taken: a bad request costs no scorer time and gets a 400.
        Object input = input(request);
        long timeoutMs = this.timeoutMs;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ScorerCalls.Call call = calls.start(concurrencyLimit);
        if (call == null) {
            throw new ScoriaException(ErrorKind.NOT_READY, stuckMessage(calls.abandoned()));
        }
        Scorer scorer = instances.borrow(timeoutMs);
        if (scorer == null) {
            throw timeout();
        }
        boolean abandoned = false;
        try {
            Future<Object> future;
            try {
                future = executor.submit(() -> {
                    if (!call.begin()) {
                        return null; // given up on before it began: its request has its answer
                    }
                    try {
                        return invoke(scorer, input);
                    } finally {
                        call.finished();
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new ScoriaException(ErrorKind.NOT_READY, "service '" + serviceName + "' is being unloaded");
            }
            try {
                return result(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                if (!future.cancel(true)) {
                    // It finished between the deadline and the cancel: its answer is as good as any.
                    return result(awaitDone(future));
                }
                abandoned = true;
                call.abandon();
                instances.abandon(scorer, "timed out");
                log.warn("scoring request " + request.id() + " took longer than scoringTimeoutMs (" + timeoutMs
                        + " ms); its thread was interrupted"
                        + (instances instanceof ScorerPool ? " and its scorer instance is being replaced" : "")
                        + " (" + calls.abandoned() + " abandoned call(s) still running, at most "
                        + ScorerCalls.abandonedLimit(concurrencyLimit) + ")");
                throw timeout();
            } catch (ExecutionException e) {
                if (ScorerFailures.unwrap(e.getCause()) instanceof OutOfMemoryError oom) {
                    abandoned = outOfMemory(request, scorer, oom);
                }
                throw userFailure(e.getCause());
            } catch (InterruptedException e) {
                // The server is stopping this worker: stop the scorer call too, and do not reuse an instance
                // that may still be inside it.
                if (future.cancel(true)) {
                    abandoned = true;
                    call.abandon();
                    instances.abandon(scorer, "was interrupted");
                    log.warn("scoring request " + request.id() + " was interrupted by the server (timeout or shutdown)"
                            + (instances instanceof ScorerPool ? "; its scorer instance is being replaced" : ""));
                }
                Thread.currentThread().interrupt();
                throw e;
            }
        } finally {
            if (!abandoned) {
                instances.release(scorer);
            }
        }
    }

    /**
     * The scorer ran out of heap. The JVM recovers once the call's garbage is collected, but a pooled
     * instance may hold half-built state, so it is replaced; a shared one keeps serving. Answers whether
     * the instance was given up.
     */
    private boolean outOfMemory(InferenceRequest request, Scorer scorer, OutOfMemoryError oom) {
        Runtime jvm = Runtime.getRuntime();
        log.warn("scoring request " + request.id() + ": the scorer ran out of memory (" + oom.getMessage()
                + "; server heap " + (jvm.maxMemory() >> 20) + " MiB, -Xmx): this request failed"
                + (instances instanceof ScorerPool ? " and its scorer instance is being replaced" : ""));
        if (instances instanceof ScorerPool) {
            instances.abandon(scorer, "ran out of memory");
            return true;
        }
        return false;
    }

    /** What the scorer's run or infer takes, from the request form the adapter chose. */
    private Object input(InferenceRequest request) {
        if (request instanceof TensorRequest tensors) {
            if (!factory.tensors()) {
                throw ScoriaException.badInput("the scorer of service '" + serviceName + "' takes no tensors");
            }
            signature.check(tensors);
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (NamedTensor t : tensors.inputs()) {
                inputs.put(t.name(), t.tensor());
            }
            return new TensorCall(inputs, tensors.outputs());
        }
        PayloadRequest payload = (PayloadRequest) request;
        if (factory.raw()) {
            return rawRequest(payload);
        }
        if (binder == null) {
            throw ScoriaException.badInput(
                    "the scorer of service '" + serviceName + "' takes tensors only: call it through"
                            + " the Open Inference Protocol (POST /v2/models/" + serviceName + "/infer)");
        }
        return binder.bind(payload.body());
    }

    /** A tensor request as the scorer gets it, with the outputs the client asked for. */
    private record TensorCall(Map<String, Tensor> inputs, List<String> outputs) {}

    private Object awaitDone(Future<Object> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw userFailure(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("scoring call was cancelled", e);
        }
    }

    private static Exception userFailure(Throwable cause) {
        Throwable thrown = ScorerFailures.unwrap(cause);
        if (thrown instanceof TensorInputRefused refused) {
            return ScoriaException.badInput(refused.getMessage());
        }
        if (thrown instanceof Exception e) {
            return e;
        }
        return new ScorerError((Error) thrown);
    }

    private ScoriaException timeout() {
        return new ScoriaException(
                ErrorKind.TIMEOUT, "scoring took longer than scoringTimeoutMs (" + timeoutMs + " ms)");
    }

    /** A TensorScorer's IllegalArgumentException: the scorer's way of saying the request is wrong (400). */
    private static final class TensorInputRefused extends Exception {
        TensorInputRefused(IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object invoke(Scorer scorer, Object input) throws Exception {
        if (input instanceof TensorCall call) {
            Map<String, Tensor> outputs;
            try {
                outputs = ((TensorScorer) scorer).infer(call.inputs());
            } catch (IllegalArgumentException e) {
                throw new TensorInputRefused(e);
            }
            if (outputs == null) {
                throw new IllegalStateException(
                        scorer.getClass().getName() + ".infer returned null: expected a map of tensors");
            }
            return new TensorAnswer(outputs, call.outputs());
        }
        if (scorer instanceof RawScorer raw) {
            ScoreResponse response = raw.run((ScoreRequest) input);
            if (response == null) {
                throw new IllegalStateException(
                        scorer.getClass().getName() + ".run returned null: expected a ScoreResponse");
            }
            return response;
        }
        return ((JsonScorer<Object>) scorer).run(input);
    }

    /** What a TensorScorer returned, and which outputs the client wants. */
    private record TensorAnswer(Map<String, Tensor> outputs, List<String> wanted) {}

    private InferenceResult result(Object value) throws Exception {
        if (value instanceof ScoreResponse response) {
            return new PayloadResult(response.status(), response.headers(), response.body());
        }
        if (value instanceof TensorAnswer answer) {
            List<NamedTensor> outputs = new ArrayList<>(answer.outputs().size());
            for (Map.Entry<String, Tensor> e : answer.outputs().entrySet()) {
                outputs.add(new NamedTensor(e.getKey(), Datatype.of(e.getValue().data()), e.getValue()));
            }
            for (String wanted : answer.wanted()) {
                if (!answer.outputs().containsKey(wanted)) {
                    throw ScoriaException.badInput(
                            "output '" + wanted + "' is not an output of the scorer: it returned "
                                    + answer.outputs().keySet());
                }
            }
            return new TensorResult(outputs).select(answer.wanted());
        }
        return new JsonResult(answers.toJson(value));
    }

    private static ScoreRequest rawRequest(PayloadRequest call) {
        // For a GET the Azure route puts the query parameters in the body as JSON, which is what a JSON scorer
        // wants; a raw scorer gets the request as it came, and a GET came without a body.
        byte[] body = "GET".equalsIgnoreCase(call.method()) ? new byte[0] : call.body();
        return new ScoreRequest(call.method(), call.path(), call.headers(), call.query(), body);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            // Interrupts calls still running; a thread that ignores it is a daemon and dies with the JVM.
            executor.shutdownNow();
            instances.close();
            sessions.close();
        } catch (Throwable e) {
            log.warn("closing the scorer of service '" + serviceName + "' failed: " + e);
        } finally {
            try {
                loader.close();
            } catch (Throwable e) {
                log.warn("closing the scorer class loader failed: " + e);
            }
        }
        log.info("scorer " + factory.type().getName() + " closed");
    }
}
