package dev.scoria.core.input;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a large {@code {"data": [[...], ...]}} body into parts of whole rows, to be read (and scored) on
 * several cores. A cut is made at a comma that follows a {@code ]}, the first such after an even share of
 * the bytes: in a body of plain numbers that is always between two rows. A body that is not plain may be
 * cut elsewhere, but then some part does not read as rows ({@link DataMatrixReader#readPart} says null)
 * and the whole body is read as one, so that it is judged as it always was.
 */
public final class DataRowsSplitter {

    private DataRowsSplitter() {}

    /** At most {@code parts} parts, in order; a single part (the whole body) when no cut was found. */
    public static List<RowsPart> split(byte[] body, int offset, int length, int parts) {
        int end = offset + length;
        List<RowsPart> out = new ArrayList<>(parts);
        int from = offset;
        for (int k = 1; k < parts; k++) {
            int target = Math.max(from, offset + (int) ((long) length * k / parts));
            int comma = commaAfterRow(body, target, end);
            if (comma < 0) {
                break;
            }
            out.add(new RowsPart(from, comma, out.isEmpty(), false));
            from = comma + 1;
        }
        out.add(new RowsPart(from, end, out.isEmpty(), true));
        return out;
    }

    /** The first comma from {@code i} on that follows a {@code ]} (whitespace between), or -1. */
    private static int commaAfterRow(byte[] in, int i, int end) {
        while (i < end) {
            if (in[i++] != ']') {
                continue;
            }
            while (i < end && (in[i] == ' ' || in[i] == '\n' || in[i] == '\r' || in[i] == '\t')) {
                i++;
            }
            if (i < end && in[i] == ',') {
                return i;
            }
        }
        return -1;
    }
}
