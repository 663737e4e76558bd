package dev.scoria.core.service;

import dev.scoria.core.auth.Secrets;
import dev.scoria.core.runtime.Predictor;

/**
 * What the data plane reads for every request: the service's record and, once it is Healthy, its
 * predictor. Immutable; a change replaces the whole object, so a request sees one consistent view.
 */
public record LiveService(ServiceRecord record, Predictor predictor) {

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
        return problem == null ? this : new LiveService(record.withState(ServiceState.Unhealthy, problem), predictor);
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
}
