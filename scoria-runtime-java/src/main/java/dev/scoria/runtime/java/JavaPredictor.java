package dev.scoria.runtime.java;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.RawResult;
import dev.scoria.core.runtime.ScoreCall;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.RawScorer;
import dev.scoria.scorer.ScoreRequest;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.Scorer;
import dev.scoria.scorer.ServiceLogger;
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
 * worker, and never keeps the JVM from exiting. What the scorer throws is rethrown as it is (the server
 * answers 502); only errors of the request itself are {@link ScoriaException}s.
 */
final class JavaPredictor implements Predictor {

    private final String serviceName;
    private final ScorerFactory factory;
    private final ScorerInstances instances;
    private final JsonInputBinder binder;
    private final JsonAnswers answers = new JsonAnswers();
    private final IoSchema schema;
    private final ExecutorService executor;
    private final OnnxSessions sessions;
    private final ScorerClassLoader loader;
    private final long timeoutMs;
    private final ServiceLogger log;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param binder null for a {@link RawScorer} */
    JavaPredictor(
            String serviceName,
            ScorerFactory factory,
            ScorerInstances instances,
            JsonInputBinder binder,
            IoSchema schema,
            ExecutorService executor,
            OnnxSessions sessions,
            ScorerClassLoader loader,
            long timeoutMs,
            ServiceLogger log) {
        this.serviceName = serviceName;
        this.factory = factory;
        this.instances = instances;
        this.binder = binder;
        this.schema = schema;
        this.executor = executor;
        this.sessions = sessions;
        this.loader = loader;
        this.timeoutMs = timeoutMs;
        this.log = log;
    }

    @Override
    public boolean jsonOnly() {
        return binder != null;
    }

    @Override
    public IoSchema schema() {
        return schema;
    }

    @Override
    public Object score(ScoreCall call) throws Exception {
        if (closed.get()) {
            throw new ScoriaException(ErrorKind.NOT_READY, "service '" + serviceName + "' is being unloaded");
        }
        // Bound before an instance is taken: a bad request costs no scorer time and gets a 400.
        Object input = binder != null ? binder.bind(call.body()) : rawRequest(call);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Scorer scorer = instances.borrow(timeoutMs);
        if (scorer == null) {
            throw timeout();
        }
        boolean abandoned = false;
        try {
            Future<Object> future;
            try {
                future = executor.submit(() -> invoke(scorer, input));
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
                instances.abandon(scorer);
                log.warn("scoring request " + call.requestId() + " took longer than scoringTimeoutMs (" + timeoutMs
                        + " ms); its thread was interrupted"
                        + (instances instanceof ScorerPool ? " and its scorer instance is being replaced" : ""));
                throw timeout();
            } catch (ExecutionException e) {
                throw userFailure(e.getCause());
            } catch (InterruptedException e) {
                // The server is stopping this worker: stop the scorer call too, and do not reuse an instance
                // that may still be inside it.
                if (future.cancel(true)) {
                    abandoned = true;
                    instances.abandon(scorer);
                    log.warn("scoring request " + call.requestId()
                            + " was interrupted by the server (timeout or shutdown)"
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
        if (thrown instanceof Exception e) {
            return e;
        }
        return new ScorerError((Error) thrown);
    }

    private ScoriaException timeout() {
        return new ScoriaException(
                ErrorKind.TIMEOUT, "scoring took longer than scoringTimeoutMs (" + timeoutMs + " ms)");
    }

    @SuppressWarnings("unchecked")
    private static Object invoke(Scorer scorer, Object input) throws Exception {
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

    private Object result(Object value) {
        if (value instanceof ScoreResponse response) {
            return new RawResult(response.status(), response.headers(), response.body());
        }
        return answers.toWritable(value);
    }

    private static ScoreRequest rawRequest(ScoreCall call) {
        // For a GET the server puts the query parameters in the body as JSON, which is what a JSON scorer
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
