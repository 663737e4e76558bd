package dev.scoria.client;

/** Which of a service's two keys to regenerate, with the names the management API (and Azure ML) use. */
public enum KeyType {
    Primary,
    Secondary
}
