package dev.scoria.core.replica;

import java.time.Duration;
import java.time.Instant;

/**
 * One {@code scoria serve} process sharing the workspace, as it last reported itself.
 *
 * @param id stable across restarts of the same replica (its host and port, or {@code --replica-id})
 * @param address where the replica answers, e.g. {@code http://10.0.0.7:5001}
 */
public record ReplicaRecord(String id, String address, String version, Instant startedAt, Instant heartbeatAt) {

    /** How long a replica may stay silent before it no longer counts towards a service's state. */
    public static final Duration LIVENESS = Duration.ofSeconds(5);

    public boolean liveAt(Instant now) {
        return heartbeatAt.plus(LIVENESS).isAfter(now);
    }
}
