package dev.scoria.core.model;

/** One file of a model: its path inside the model folder and the digest of its content. */
public record ModelFile(String path, String sha256, long size) {}
