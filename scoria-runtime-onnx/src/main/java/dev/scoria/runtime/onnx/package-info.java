/**
 * The {@code onnx} runtime: any ONNX model with one [N, k] float or double input is served with no
 * code, on ONNX Runtime. Depends on the core's runtime SPI and ONNX Runtime only.
 */
package dev.scoria.runtime.onnx;
