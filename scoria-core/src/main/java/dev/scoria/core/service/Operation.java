package dev.scoria.core.service;

import java.time.Instant;

/**
 * A long-running change to a service (create, update, delete), polled through {@code /operations/{id}}.
 *
 * @param deployment the deployment whose load it waits for (null: the service's primary one)
 * @param generation the deployment generation the operation waits for every live replica to load (0 when
 *     nothing has to be loaded)
 */
public record Operation(
        String id,
        String serviceName,
        String deployment,
        String type,
        State state,
        String error,
        Instant createdTime,
        Instant updatedTime,
        long generation) {

    public enum State {
        Running,
        Succeeded,
        Failed
    }

    public Operation finish(State newState, String newError) {
        return new Operation(
                id, serviceName, deployment, type, newState, newError, createdTime, Instant.now(), generation);
    }
}
