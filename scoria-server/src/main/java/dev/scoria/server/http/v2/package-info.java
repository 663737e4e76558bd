/**
 * The Open Inference Protocol (KServe/Triton "V2") adapter, REST form, for every service: health and
 * metadata routes, and {@code /v2/models/{name}/infer} requests (JSON, or the binary tensor extension)
 * turned into protocol-neutral tensor requests, with results written back as V2 responses and errors as
 * {@code {"error": "..."}}. Depends on {@code server.http} and the core's inference path.
 */
package dev.scoria.server.http.v2;
