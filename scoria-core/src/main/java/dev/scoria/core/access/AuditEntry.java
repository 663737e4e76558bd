package dev.scoria.core.access;

import java.time.Instant;

/**
 * One management call, as the audit log keeps it: who (the credential's id and role, both null when no
 * valid credential was presented), what (method, path, the service or model it was about), when, on
 * which replica, and the status it was answered with. Never a token, key or body.
 */
public record AuditEntry(
        Instant time,
        String credentialId,
        Role role,
        String method,
        String path,
        String service,
        String model,
        int status,
        String replicaId) {}
