package dev.scoria.core.access;

import java.time.Instant;

/**
 * An access token as stored: never the token itself, only the sha256 of its secret part.
 *
 * @param expiresTime null: never expires
 * @param revokedTime null: not revoked
 * @param createdBy the id of the credential that created it ({@code admin} for the admin token)
 */
public record AccessCredential(
        String id,
        Role role,
        ServicePatterns services,
        String description,
        Instant createdTime,
        Instant expiresTime,
        Instant revokedTime,
        String createdBy,
        String secretSha256) {

    public boolean expired(Instant now) {
        return expiresTime != null && !now.isBefore(expiresTime);
    }

    public boolean revoked() {
        return revokedTime != null;
    }

    @Override
    public String toString() {
        return "AccessCredential[" + id + ", " + role.wireName() + ", services " + services + ", expires " + expiresTime
                + ", revoked " + revokedTime + "]";
    }
}
