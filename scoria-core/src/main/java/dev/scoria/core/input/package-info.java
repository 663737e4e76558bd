/**
 * Request bodies turned into what runtimes consume, without boxing: {@code {"data": [[...]]}} is
 * streamed by Jackson's parser straight into a primitive array. Depends on Jackson's core only.
 */
package dev.scoria.core.input;
