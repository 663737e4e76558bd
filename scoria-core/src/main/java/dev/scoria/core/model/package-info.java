/** Registered models: immutable, versioned artifacts. Depends on the store and artifact interfaces only. */
package dev.scoria.core.model;
