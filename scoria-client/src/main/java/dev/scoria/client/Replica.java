package dev.scoria.client;

import java.time.Instant;

/**
 * One {@code scoria serve} process of the workspace, as it last reported itself.
 *
 * @param live whether it has sent a heartbeat within the last few seconds (only live replicas count
 *     towards a service's state)
 */
public record Replica(
        String id, String address, String version, Instant startedTime, Instant lastHeartbeat, boolean live) {}
