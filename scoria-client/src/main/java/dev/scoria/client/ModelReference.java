package dev.scoria.client;

/**
 * A model a web service serves, as the service describes it.
 *
 * @param id {@code name:version}
 */
public record ModelReference(String id, String name, int version) {}
