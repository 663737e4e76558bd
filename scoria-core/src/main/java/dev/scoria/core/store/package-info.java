/** The persistence boundary: what the core needs stored, with no SQL in it. */
package dev.scoria.core.store;
