package dev.scoria.scorer;

/**
 * Sample input and output (JSON text) a scorer declares; the swagger document's schemas are generated
 * from them with inference-schema's type mapping, and they become its examples. Either may be null.
 */
public record ScorerSchema(String inputSample, String outputSample) {}
