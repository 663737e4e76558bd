package dev.scoria.server.http;

import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.service.LiveDeployment;
import dev.scoria.core.service.LiveService;
import dev.scoria.core.service.ServiceRecord;

/**
 * A scoring request let in: its service, the deployment that answers it (pinned by the client or drawn
 * from the traffic split), and the deployment that gets a copy of it, if this request is mirrored.
 *
 * @param mirror the mirrored deployment, or null
 */
public record Admission(LiveService service, LiveDeployment deployment, LiveDeployment mirror) {

    public ServiceRecord record() {
        return service.record();
    }

    public String name() {
        return service.record().name();
    }

    public Predictor predictor() {
        return deployment.predictor();
    }
}
