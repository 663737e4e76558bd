/**
 * Runnable examples of the Scoria SDK, written to be read. They may depend on {@code dev.scoria.client}
 * only, like any application using Scoria.
 */
package dev.scoria.examples;
