package dev.scoria.client;

/**
 * One file of a registered model.
 *
 * @param path where the file sits inside the model folder, with {@code /} separators
 * @param sha256 the file's SHA-256, lower-case hex
 * @param size the file's length in bytes
 */
public record ModelFile(String path, String sha256, long size) {}
