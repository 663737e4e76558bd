/**
 * The protocol-neutral inference path's values: what a request is (named, typed tensors, or an opaque
 * payload), what a model declares (its signature) and what a predictor answers (tensors, a JSON value,
 * or a whole payload). Nothing here knows HTTP or any one protocol: the Azure ML v1 and Open Inference
 * Protocol adapters in the server translate to and from these types. Depends on the scorer API's
 * {@code Tensor} only; runtimes and the scheduler depend on it.
 */
package dev.scoria.core.inference;
