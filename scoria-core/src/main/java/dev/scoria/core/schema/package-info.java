/** Service input/output schemas and the OpenAPI (2.0 and 3.0.3) documents generated from them. Jackson only. */
package dev.scoria.core.schema;
