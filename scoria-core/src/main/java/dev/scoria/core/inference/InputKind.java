package dev.scoria.core.inference;

/** The request forms a predictor takes; an adapter builds the one the predictor takes. */
public enum InputKind {
    /** Named, typed tensors ({@link TensorRequest}). */
    TENSORS,
    /** A JSON body ({@link PayloadRequest} whose content is JSON); other content types are refused with 415. */
    JSON,
    /** Any payload, with the request's method, headers and query ({@link PayloadRequest}). */
    PAYLOAD
}
