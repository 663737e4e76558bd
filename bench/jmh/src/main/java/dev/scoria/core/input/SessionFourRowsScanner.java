package dev.scoria.core.input;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import java.util.Arrays;

/**
 * A baseline for {@code RequestParsingBenchmark}: the {@code {"data"}} scanner as session 4 left it (each
 * number's end found, then parsed again by fastdoubleparser), copied unchanged but for its name.
 *
 * <p>The fast path of {@link DataMatrixReader}: reads a body that is exactly {@code {"data": [[n, ...], ...]}}
 * (numbers only, any JSON whitespace) straight from its bytes, each number parsed where it lies, with
 * no token objects and no copy of its digits. Parsing numbers is most of the cost of a large request,
 * and Jackson copies every number's characters into a buffer before it parses them.
 *
 * <p>Anything else, valid or not (other fields, a BOM, escapes in the key, strings in the rows, an
 * empty row, a row of the wrong length, bad JSON), makes it answer null having judged nothing: the
 * Jackson reader then reads the body and says what is wrong. So both agree on every input: the
 * numbers are parsed by the same correctly rounded algorithm, to JSON's grammar.
 */
public final class SessionFourRowsScanner {

    /** Jackson's default longest number: a longer one goes to Jackson, which refuses it. */
    private static final int MAX_NUMBER_LENGTH = 1000;

    private static final byte[] DATA_KEY = {'"', 'd', 'a', 't', 'a', '"'};

    private final byte[] in;
    private final int end;
    private int pos;

    private SessionFourRowsScanner(byte[] in, int offset, int length) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
    }

    /**
     * The rows, or null when the body is not plainly numbers in rows of {@code expectedCols} (any number
     * when -1, the first row's) and {@code fixedRows} rows (any when -1).
     */
    public static DenseMatrix scan(byte[] body, int offset, int length, int expectedCols, long fixedRows) {
        return new SessionFourRowsScanner(body, offset, length).rows(expectedCols, fixedRows);
    }

    private DenseMatrix rows(int expectedCols, long fixedRows) {
        if (!take('{') || !takeKey() || !take(':') || !take('[')) {
            return null;
        }
        int cols = expectedCols;
        double[] values = new double[cols > 0 ? cols * 4 : 64];
        int n = 0;
        int rows = 0;
        while (true) {
            if (!take('[')) {
                return null;
            }
            int col = 0;
            while (true) {
                skipWhitespace();
                int start = pos;
                int stop = numberEnd(start);
                if (stop < 0 || stop - start > MAX_NUMBER_LENGTH || (cols > 0 && col >= cols)) {
                    return null;
                }
                pos = stop;
                int len = stop - start;
                double value;
                try {
                    value = JsonDoubleParser.parseDouble(in, start, len);
                } catch (NumberFormatException e) {
                    return null;
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                values[n++] = value;
                col++;
                skipWhitespace();
                if (pos >= end) {
                    return null;
                }
                byte b = in[pos++];
                if (b == ']') {
                    break;
                }
                if (b != ',') {
                    return null;
                }
            }
            if (cols < 0) {
                cols = col;
            } else if (col != cols) {
                return null;
            }
            rows++;
            skipWhitespace();
            if (pos >= end) {
                return null;
            }
            byte b = in[pos++];
            if (b == ']') {
                break;
            }
            if (b != ',') {
                return null;
            }
        }
        if (!take('}')) {
            return null;
        }
        skipWhitespace();
        if (pos != end || (fixedRows > 0 && rows != fixedRows)) {
            return null;
        }
        return new DenseMatrix(values, rows, cols);
    }

    private boolean takeKey() {
        skipWhitespace();
        if (end - pos < DATA_KEY.length
                || !Arrays.equals(in, pos, pos + DATA_KEY.length, DATA_KEY, 0, DATA_KEY.length)) {
            return false;
        }
        pos += DATA_KEY.length;
        return true;
    }

    /** Skips whitespace, then takes {@code expected} if it is next. */
    private boolean take(char expected) {
        skipWhitespace();
        if (pos < end && in[pos] == expected) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    /**
     * Where the JSON number starting at {@code i} ends ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?},
     * RFC 8259), or -1 when none starts there or it breaks the grammar.
     */
    private int numberEnd(int i) {
        if (i < end && in[i] == '-') {
            i++;
        }
        if (i >= end || !isDigit(in[i])) {
            return -1;
        }
        if (in[i] == '0') {
            i++;
            if (i < end && isDigit(in[i])) {
                return -1;
            }
        } else {
            i = digits(i);
        }
        if (i < end && in[i] == '.') {
            int after = digits(i + 1);
            if (after == i + 1) {
                return -1;
            }
            i = after;
        }
        if (i < end && (in[i] == 'e' || in[i] == 'E')) {
            i++;
            if (i < end && (in[i] == '+' || in[i] == '-')) {
                i++;
            }
            int after = digits(i);
            if (after == i) {
                return -1;
            }
            i = after;
        }
        return i;
    }

    private int digits(int i) {
        while (i < end && isDigit(in[i])) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
