package dev.scoria.core.runtime;

import java.util.Map;

/** An answer a predictor writes whole (status, headers, body), instead of a value to serialise as JSON. */
public record RawResult(int status, Map<String, String> headers, byte[] body) {}
