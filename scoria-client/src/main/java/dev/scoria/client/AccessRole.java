package dev.scoria.client;

import java.util.Locale;

/**
 * What an access token may do on the management API. Every role reads; {@link #DEPLOYER} also registers
 * models and deploys, updates and deletes services and deployments; {@link #KEYS} also reads and
 * regenerates keys and gets tokens; {@link #ADMIN} does everything, access tokens included.
 */
public enum AccessRole {
    READER,
    DEPLOYER,
    KEYS,
    ADMIN;

    /** The name the API and the CLI use: {@code reader}, {@code deployer}, {@code keys}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AccessRole fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
