package dev.scoria.core.input;

import java.util.Arrays;

/**
 * The fast path of {@link DataMatrixReader}: reads a body that is exactly {@code {"data": [[n, ...], ...]}}
 * (numbers only, any JSON whitespace) straight from its bytes, each number parsed where it lies, with
 * no token objects and no copy of its digits. Parsing numbers is most of the cost of a large request,
 * and Jackson copies every number's characters into a buffer before it parses them.
 *
 * <p>Anything else, valid or not (other fields, a BOM, escapes in the key, strings in the rows, an
 * empty row, a row of the wrong length, a number beyond a double's range, bad JSON), makes it answer
 * null having judged nothing: the Jackson reader then reads the body and says what is wrong. So both
 * agree on every input: the numbers are parsed by the same correctly rounded algorithm, to JSON's grammar.
 */
final class DataRowsScanner {

    /** Jackson's default longest number: a longer one goes to Jackson, which refuses it. */
    private static final int MAX_NUMBER_LENGTH = 1000;

    private static final byte[] DATA_KEY = {'"', 'd', 'a', 't', 'a', '"'};

    /**
     * The largest array of values read into each thread's scratch; a larger body's values are read into an
     * array of their own, as before. A large request's parts (a few hundred KiB of body each) fit, so their
     * values are allocated once, at their exact length, instead of in an estimate's 1.3 to 2 times as much.
     */
    private static final int SCRATCH_MAX = 32 * 1024;

    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[256]);

    private final JsonNumberScanner numbers = new JsonNumberScanner();
    private final byte[] in;
    private final int end;
    private int pos;

    private DataRowsScanner(byte[] in, int offset, int length) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
    }

    /**
     * The rows, or null when the body is not plainly numbers in rows of {@code expectedCols} (any number
     * when -1, the first row's) and {@code fixedRows} rows (any when -1).
     */
    static DenseMatrix scan(byte[] body, int offset, int length, int expectedCols, long fixedRows) {
        return new DataRowsScanner(body, offset, length).rows(expectedCols, fixedRows);
    }

    /**
     * Part of a body cut at the commas between rows (see {@link DataRowsSplitter}): the first part holds the
     * opening {@code {"data": [}, the last the closing {@code ]}}, each some whole rows. Null when the part
     * is not plainly numbers in rows of {@code expectedCols} (any when -1), as {@link #scan} would say of a
     * body made of such parts.
     */
    static DenseMatrix scanPart(byte[] body, int from, int to, int expectedCols, boolean first, boolean last) {
        DataRowsScanner scanner = new DataRowsScanner(body, from, to - from);
        if (first && !scanner.head()) {
            return null;
        }
        DenseMatrix rows = scanner.rowList(expectedCols, last);
        return rows == null || (last && !scanner.tail()) ? null : rows;
    }

    private DenseMatrix rows(int expectedCols, long fixedRows) {
        if (!head()) {
            return null;
        }
        DenseMatrix rows = rowList(expectedCols, true);
        if (rows == null || !tail() || (fixedRows > 0 && rows.rows() != fixedRows)) {
            return null;
        }
        return rows;
    }

    /** {@code {"data": [} */
    private boolean head() {
        return take('{') && takeKey() && take(':') && take('[');
    }

    /** {@code }} and nothing after it but whitespace, the rows' {@code ]} taken. */
    private boolean tail() {
        if (!take('}')) {
            return false;
        }
        skipWhitespace();
        return pos == end;
    }

    /**
     * Rows separated by commas, up to and including the {@code ]} that closes the list when {@code closed},
     * else up to the end of the input.
     */
    private DenseMatrix rowList(int expectedCols, boolean closed) {
        int cols = expectedCols;
        // A number and its comma take at least two bytes, and the rows of a large body about 16 or more:
        // sized so, the array is rarely grown (each growth copies all that was read).
        int estimate = Math.max(cols > 0 ? cols * 4 : 64, (end - pos) / 16);
        double[] scratch = estimate <= SCRATCH_MAX ? SCRATCH.get() : null;
        if (scratch != null && scratch.length < estimate) {
            scratch = new double[Math.min(SCRATCH_MAX, Math.max(estimate, scratch.length * 2))];
            SCRATCH.set(scratch);
        }
        double[] values = scratch != null ? scratch : new double[estimate];
        int n = 0;
        int rows = 0;
        while (true) {
            if (!take('[')) {
                return null;
            }
            int col = 0;
            while (true) {
                skipWhitespace();
                int stop = numbers.scan(in, pos, end, MAX_NUMBER_LENGTH);
                if (stop < 0 || (cols > 0 && col >= cols)) {
                    return null;
                }
                pos = stop;
                double value = numbers.value();
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
                if (closed) {
                    return null;
                }
                break;
            }
            byte b = in[pos++];
            if (b == ']' && closed) {
                break;
            }
            if (b != ',') {
                return null;
            }
        }
        // The matrix owns an array of exactly its values: the thread's scratch is used again, and an input
        // tensor takes the array as it is (a longer one it would copy).
        return new DenseMatrix(values == scratch || values.length != n ? Arrays.copyOf(values, n) : values, rows, cols);
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
        pos = JsonNumberScanner.afterWhitespace(in, pos, end);
    }
}
