/**
 * The HTTP layer on Vert.x: translates requests into calls on the core and results back into
 * responses. Holds no state of its own; never blocks an event loop (store and model calls run on
 * worker threads).
 */
package dev.scoria.server.http;
