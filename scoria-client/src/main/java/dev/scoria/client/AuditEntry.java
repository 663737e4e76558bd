package dev.scoria.client;

import java.time.Instant;
import java.util.Optional;

/**
 * One management call in the workspace's audit log.
 *
 * @param credentialId the access token's id, {@code admin} for the admin token; empty when no valid
 *     credential was presented (for a well-formed but refused access token, the id it claimed)
 * @param role empty when no valid credential was presented
 */
public record AuditEntry(
        Instant time,
        Optional<String> credentialId,
        Optional<AccessRole> role,
        String method,
        String path,
        Optional<String> service,
        Optional<String> model,
        int status,
        String replica) {}
