package dev.scoria.client;

import java.net.URI;

/**
 * A workspace's token identity: the {@code iss} of its access tokens, the {@code kid} signing new ones,
 * where its public keys are published, and how long tokens live.
 */
public record WorkspaceInfo(
        String issuer,
        String activeSigningKey,
        URI jwksUri,
        long tokenRefreshAfterSeconds,
        long tokenLifetimeSeconds) {}
