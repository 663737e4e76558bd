package dev.scoria.core.service;

import java.time.Instant;

/** One line of a service's log, tagged with the replica that wrote it. */
public record LogLine(String service, Instant at, String replicaId, String level, String message) {

    /** As {@code scoria service logs} prints it. */
    public String format() {
        return at + " " + replicaId + " " + level + " " + message;
    }
}
