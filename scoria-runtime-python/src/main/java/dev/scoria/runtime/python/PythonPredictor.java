package dev.scoria.runtime.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.InferenceRequest;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.inference.PayloadRequest;
import dev.scoria.core.inference.PayloadResult;
import dev.scoria.core.runtime.PendingInference;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.scorer.ServiceLogger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * A loaded entry script: each request is handed to a worker of the pool, sent as one frame and answered
 * with what the worker wrote (already serialised by Python's {@code json.dumps}, so the answer is
 * byte for byte Azure's), with no thread waiting in between. A worker still busy when its request
 * times out is killed and replaced.
 */
final class PythonPredictor implements Predictor {

    /** Headers the server owns: a script's copy would contradict the body's framing or the request's id. */
    private static final Set<String> SERVER_HEADERS = Set.of(
            "content-length",
            "transfer-encoding",
            "connection",
            "x-request-id",
            "x-ms-request-id",
            "x-ms-client-request-id");

    private static final Set<InputKind> ACCEPTS = Set.of(InputKind.PAYLOAD);

    private final String serviceName;
    private final WorkerPool pool;
    private final IoSchema schema;
    private final int memoryLimitMb;
    private final ServiceLogger log;
    private volatile boolean closed;
    private volatile MappedHeaders lastHeaders;

    PythonPredictor(String serviceName, WorkerPool pool, IoSchema schema, int memoryLimitMb, ServiceLogger log) {
        this.serviceName = serviceName;
        this.pool = pool;
        this.schema = schema;
        this.memoryLimitMb = memoryLimitMb;
        this.log = log;
    }

    /**
     * Any payload: an undecorated run() takes any body (Azure ignores the Content-Type), a @rawhttp one
     * sees the request as it came; with @input_schema the worker itself answers 415, as Azure's server does.
     */
    @Override
    public Set<InputKind> accepts() {
        return ACCEPTS;
    }

    @Override
    public IoSchema schema() {
        return schema;
    }

    @Override
    public String healthProblem() {
        int alive = pool.alive();
        return closed || alive > 0
                ? null
                : "no Python worker is alive (" + pool.size() + " restarting; see scoria service logs " + serviceName
                        + ")";
    }

    @Override
    public boolean infersAsync() {
        return true;
    }

    /**
     * Hands the request to a free worker, or to the next one released, and returns: the worker's answer
     * ends it on its frame reader's thread. The service's scheduler abandons it at {@code scoringTimeoutMs}
     * (and answers 504), with the limit as it is now, also after an update changed it; a worker still
     * inside run() then is killed and replaced.
     */
    @Override
    public PendingInference inferAsync(InferenceRequest request, BiConsumer<InferenceResult, Throwable> done) {
        if (!(request instanceof PayloadRequest payload)) {
            done.accept(
                    null, ScoriaException.badInput("a score.py service takes the request body as it is, not tensors"));
            return PendingInference.ANSWERED;
        }
        if (closed) {
            done.accept(
                    null, new ScoriaException(ErrorKind.NOT_READY, "service '" + serviceName + "' is being unloaded"));
            return PendingInference.ANSWERED;
        }
        PythonCall call = new PythonCall(payload, this, done);
        if (!pool.submit(call)) {
            done.accept(
                    null,
                    new ScoriaException(
                            ErrorKind.NOT_READY,
                            "service '" + serviceName + "' has no live Python worker: "
                                    + "they are restarting (see scoria service logs " + serviceName + ")"));
            return PendingInference.ANSWERED;
        }
        return call;
    }

    /** For callers that have a thread to spare: waits for the answer; an interrupt abandons the request. */
    @Override
    public InferenceResult infer(InferenceRequest request) throws Exception {
        CompletableFuture<InferenceResult> answer = new CompletableFuture<>();
        PendingInference call = inferAsync(request, (result, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(result);
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            call.abandon();
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    void answered(PythonCall call, PythonWorker worker, Frames.Frame answer) {
        if (!call.end()) {
            // Abandoned: the worker is being killed and never serves again.
            return;
        }
        if (outOfMemory(answer)) {
            // The worker leaves by itself after saying so; it must not be lent again meanwhile.
            pool.discard(worker);
            call.fail(new PythonRunError("run() reached python worker " + worker.slot() + "'s memory limit ("
                    + (memoryLimitMb == 0 ? "none set: the machine's memory" : "memoryLimitMb=" + memoryLimitMb)
                    + "): this request failed and the worker is replaced. Raise memoryLimitMb if the script"
                    + " needs more.\n"
                    + answer.header().path("traceback").asText("").stripTrailing()));
            return;
        }
        // Released before the answer is mapped, so that a waiting request starts as early as it can.
        pool.release(worker);
        InferenceResult result;
        try {
            result = result(answer);
        } catch (ScoriaException | PythonRunError e) {
            call.fail(e);
            return;
        }
        call.succeed(result);
    }

    void workerDied(PythonCall call, PythonWorker worker, String why) {
        if (call.end()) {
            call.fail(new PythonRunError("the Python worker " + worker.slot() + " (pid " + worker.pid()
                    + ") died while scoring this request: " + why));
        }
    }

    void abandon(PythonCall call) {
        if (!call.end()) {
            return;
        }
        PythonWorker worker = pool.withdraw(call);
        if (worker != null) {
            log.warn("request " + call.id + ": run() was still working when the request ended (scoringTimeoutMs "
                    + "or shutdown); python worker " + worker.slot() + " (pid " + worker.pid()
                    + ") is killed and replaced");
            pool.discard(worker);
        }
    }

    private static boolean outOfMemory(Frames.Frame answer) {
        return answer.type().equals("error")
                && answer.header().path("kind").asText().equals("out_of_memory");
    }

    private InferenceResult result(Frames.Frame answer) throws PythonRunError {
        ObjectNode header = answer.header();
        switch (answer.type()) {
            case "result" -> {
                return new PayloadResult(header.path("status").asInt(200), headers(header), answer.body());
            }
            case "error" -> {
                String kind = header.path("kind").asText();
                if (kind.equals("bad_input")) {
                    throw ScoriaException.badInput(header.path("message").asText());
                }
                if (kind.equals("unsupported_media_type")) {
                    throw new ScoriaException(
                            ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                            header.path("message").asText());
                }
                throw new PythonRunError(header.path("traceback")
                        .asText(header.path("message").asText())
                        .stripTrailing());
            }
            default ->
                throw new PythonRunError("the Python worker answered an unexpected '" + answer.type() + "' frame");
        }
    }

    /**
     * The headers of a result, without the ones the server owns; the last mapping is kept with the header
     * tree it came from, which {@link Frames} shares between answers with the same header bytes.
     */
    private Map<String, String> headers(ObjectNode header) {
        MappedHeaders last = lastHeaders;
        if (last != null && last.header == header) {
            return last.headers;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (JsonNode pair : header.path("headers")) {
            String name = pair.path(0).asText();
            if (!SERVER_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                // Repeated headers become one comma-separated value, which HTTP defines as the same thing.
                headers.merge(name, pair.path(1).asText(), (a, b) -> a + ", " + b);
            }
        }
        // Read-only, as it is shared by the answers that reuse it; in the order the script gave them.
        Map<String, String> mapped = Collections.unmodifiableMap(headers);
        lastHeaders = new MappedHeaders(header, mapped);
        return mapped;
    }

    private record MappedHeaders(ObjectNode header, Map<String, String> headers) {}

    @Override
    public void close() {
        closed = true;
        pool.close();
        log.info("python workers of service '" + serviceName + "' stopped");
    }
}
