package dev.scoria.core.inference;

/** What a predictor answers: tensors, a JSON value, or a whole answer to send as it is. */
public sealed interface InferenceResult permits TensorResult, JsonResult, PayloadResult {}
