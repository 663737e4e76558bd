package dev.scoria.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An access token of the management API as the server describes it: never its secret.
 *
 * @param services the service-name patterns a deployer or keys token is limited to; empty: every service
 * @param createdBy the id of the credential that created it ({@code admin} for the workspace's admin token)
 * @param state {@code Active}, {@code Expired} or {@code Revoked}
 */
public record AccessTokenInfo(
        String id,
        AccessRole role,
        List<String> services,
        String description,
        Instant createdTime,
        String createdBy,
        Optional<Instant> expiresTime,
        Optional<Instant> revokedTime,
        String state) {

    public AccessTokenInfo {
        services = List.copyOf(services);
    }
}
