/**
 * The Azure ML v1 adapter: {@code /api/v1/service/{name}/score} requests become protocol-neutral
 * inference requests ({@code {"data": [[...]]}} read into the model's input tensor for tensor
 * runtimes, the body as it came for code runtimes), and typed results become Azure's answers, with its
 * {@code x-ms-*} headers and its error body. Depends on {@code server.http} and the core's inference
 * path; nothing else depends on it but the router.
 */
package dev.scoria.server.http.azure;
