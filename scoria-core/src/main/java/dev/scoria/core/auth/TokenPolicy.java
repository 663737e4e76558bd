package dev.scoria.core.auth;

import java.time.Duration;

/**
 * How long access tokens live: clients should get a new one after {@code refreshAfter}; the token
 * stops working {@code expiresAfterRefresh} later. Azure's defaults: 1 h, then 12 h more.
 */
public record TokenPolicy(Duration refreshAfter, Duration expiresAfterRefresh) {

    public static final TokenPolicy DEFAULT = new TokenPolicy(Duration.ofHours(1), Duration.ofHours(12));

    public TokenPolicy {
        if (refreshAfter.isNegative() || refreshAfter.isZero() || expiresAfterRefresh.isNegative()) {
            throw new IllegalArgumentException("token refresh-after must be positive and expiry not negative");
        }
    }

    public Duration lifetime() {
        return refreshAfter.plus(expiresAfterRefresh);
    }
}
