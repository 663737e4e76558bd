/**
 * Scoria's core: models, services, their state machine, runtimes and schemas. Knows nothing of
 * HTTP; may depend on Jackson (JSON is the contract's data format) and SLF4J only.
 */
package dev.scoria.core;
