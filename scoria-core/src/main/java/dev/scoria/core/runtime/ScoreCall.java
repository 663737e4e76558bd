package dev.scoria.core.runtime;

/** One scoring request as the core sees it: no HTTP types, only what a predictor may need. */
public record ScoreCall(String requestId, String contentType, byte[] body) {
}
