/**
 * Assembles a Scoria server: store, artifacts, runtimes, the service manager and the HTTP layer.
 * The only package that knows every other one.
 */
package dev.scoria.server;
