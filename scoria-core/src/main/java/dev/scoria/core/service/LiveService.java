package dev.scoria.core.service;

import dev.scoria.core.auth.Secrets;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.scheduling.ServiceScheduler;
import java.nio.file.Path;

/**
 * One deployed service on this replica, everything the data plane reads for a request: its record
 * (settings and keys as last committed, state as served here), its predictor once loaded, its
 * admission control, and what its last load cost. Immutable: a change replaces the whole object, so
 * a request sees one consistent view; the scheduler is carried over so queued requests survive a swap.
 *
 * @param workDir the folder the predictor was loaded from, removed when the predictor is retired
 */
public record LiveService(
        ServiceRecord record, Predictor predictor, ServiceScheduler scheduler, long loadMillis, Path workDir) {

    /** A view without admission control, for tests of the state rules. */
    public LiveService(ServiceRecord record, Predictor predictor) {
        this(record, predictor, null, 0, null);
    }

    /**
     * This view as clients should see it: a Healthy service whose predictor reports a health problem is
     * shown Unhealthy with that problem as its error. Never stored: the state comes back by itself when
     * the predictor recovers.
     */
    public LiveService current() {
        if (predictor == null || record.state() != ServiceState.Healthy) {
            return this;
        }
        String problem = predictor.healthProblem();
        return problem == null
                ? this
                : new LiveService(
                        record.withState(ServiceState.Unhealthy, problem), predictor, scheduler, loadMillis, workDir);
    }

    public boolean healthy() {
        return record.state() == ServiceState.Healthy && predictor != null;
    }

    /** Whether {@code presented} is one of this service's keys (both compared, in constant time). */
    public boolean keyMatches(String presented) {
        boolean primary = Secrets.matches(presented, record.keys().primary());
        boolean secondary = Secrets.matches(presented, record.keys().secondary());
        return primary | secondary;
    }

    LiveService withRecord(ServiceRecord newRecord) {
        return new LiveService(newRecord, predictor, scheduler, loadMillis, workDir);
    }
}
