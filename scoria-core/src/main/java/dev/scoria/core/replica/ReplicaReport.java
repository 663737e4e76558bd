package dev.scoria.core.replica;

import dev.scoria.core.service.ServiceState;
import java.time.Instant;

/**
 * What one replica says about one deployment of a service: the generation it loaded last (or is
 * loading) and how that went. The overall state of a deployment, and of its service, is made from the
 * reports of the live replicas.
 */
public record ReplicaReport(
        String replicaId,
        String service,
        String deployment,
        long generation,
        ServiceState state,
        String error,
        Instant updatedAt) {}
