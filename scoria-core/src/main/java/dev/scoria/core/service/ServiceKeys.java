package dev.scoria.core.service;

/** A service's two static keys; either one is accepted, so one can be rotated while clients use the other. */
public record ServiceKeys(String primary, String secondary) {

    @Override
    public String toString() {
        return "ServiceKeys[redacted]";
    }
}
