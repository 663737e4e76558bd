package dev.scoria.client;

/**
 * Why a web service is {@link WebserviceState#Failed}.
 *
 * @param code a stable identifier, e.g. {@code DeploymentFailed}
 * @param message what went wrong and what to change, for a person to read
 */
public record WebserviceError(String code, String message) {}
