package dev.scoria.runtime.python;

import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.PayloadRequest;
import dev.scoria.core.runtime.PendingInference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One request on its way through a service's workers: waiting for a free worker, then sent to one and
 * waiting for its answer, with no thread waiting on it. It ends once, whichever comes first: the
 * worker's answer, the worker's death, or the caller abandoning it; what comes after is dropped.
 */
final class PythonCall implements PendingInference {

    final String id;
    final PayloadRequest request;
    final byte[] body;
    private final PythonPredictor owner;
    private final BiConsumer<InferenceResult, Throwable> done;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile PythonWorker worker;

    PythonCall(PayloadRequest request, PythonPredictor owner, BiConsumer<InferenceResult, Throwable> done) {
        this.id = request.id();
        this.request = request;
        this.body = request.body();
        this.owner = owner;
        this.done = done;
    }

    /** The score frame's header, for a worker that reads the whole request or only its id and method. */
    byte[] header(boolean wholeRequest) {
        return wholeRequest ? ScoreHeader.encode(request) : ScoreHeader.encodeShort(request);
    }

    /** Set by the pool, under its lock, when a worker takes the call. */
    void assign(PythonWorker taker) {
        worker = taker;
    }

    /** The worker that took the call, or null while it waits for one. */
    PythonWorker worker() {
        return worker;
    }

    /** True for the first of the call's possible endings only. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    void succeed(InferenceResult result) {
        done.accept(result, null);
    }

    void fail(Throwable error) {
        done.accept(null, error);
    }

    /** The worker it was sent to answered. */
    void answered(PythonWorker from, Frames.Frame frame) {
        owner.answered(this, from, frame);
    }

    /** The worker it was sent to ended before answering; {@code why} says how. */
    void workerDied(PythonWorker from, String why) {
        owner.workerDied(this, from, why);
    }

    @Override
    public void abandon() {
        owner.abandon(this);
    }
}
