package dev.scoria.core.service;

/** A service's state, with Azure ML's names so that existing tooling reads it unchanged. */
public enum ServiceState {
    Transitioning,
    Healthy,
    Unhealthy,
    Failed,
    Deleting
}
