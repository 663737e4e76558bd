package dev.scoria.core.input;

/**
 * Bytes {@code [from, to)} of a {@code {"data"}} body holding whole rows; the first part also holds the
 * body's opening, the last its closing. The parts of a body, with a comma between each two, are the body.
 */
public record RowsPart(int from, int to, boolean first, boolean last) {}
