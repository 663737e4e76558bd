package dev.scoria.core.input;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;

/**
 * A baseline for {@code RequestParsingBenchmark}: the number scanner as session 5 left it, copied unchanged but
 * for its name.
 *
 * <p>Finds where a JSON number ends and parses it to the nearest double in the same pass over its bytes.
 * Most numbers in a request (at most 15 significant digits, a decimal exponent within ±22) are exact
 * as {@code digits × 10^k} or {@code digits ÷ 10^k} in one correctly rounded IEEE operation (Clinger's
 * fast path), so they need no second pass; the rest go to {@code fastdoubleparser}, which rounds
 * correctly too. Either way the value is the one {@link Double#parseDouble} gives.
 */
public final class SessionFiveNumberScanner {

    /** Exact powers of ten as doubles: 10^22 is the largest a double holds exactly. */
    private static final double[] POWERS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    /** Below 2^53 every integer is an exact double. */
    private static final long EXACT_LIMIT = 1L << 53;

    /** 18 decimal digits always fit in a long; beyond them the fast path is not tried. */
    private static final int MAX_FAST_DIGITS = 18;

    private double value;
    private boolean integral;

    /** The value of the number the last successful {@link #scan} read. */
    public double value() {
        return value;
    }

    /** Whether that number was written as an integer: no fraction, no exponent (JSON parsers' "int" token). */
    public boolean integral() {
        return integral;
    }

    /**
     * Reads the JSON number ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, RFC 8259) starting at
     * {@code i}; returns where it ends, its value in {@link #value}, or -1 when none starts there or it
     * breaks the grammar. A number longer than {@code maxLength} characters is refused with -1 too.
     */
    public int scan(byte[] in, int i, int end, int maxLength) {
        int start = i;
        boolean negative = false;
        if (i < end && in[i] == '-') {
            negative = true;
            i++;
        }
        if (i >= end || !isDigit(in[i])) {
            return -1;
        }
        long significand = 0;
        int digits = 0;
        int exponent = 0;
        if (in[i] == '0') {
            i++;
            if (i < end && isDigit(in[i])) {
                return -1;
            }
        } else {
            int first = i;
            while (i < end && isDigit(in[i])) {
                significand = significand * 10 + (in[i] - '0');
                i++;
            }
            digits = i - first;
        }
        int afterInteger = i;
        if (i < end && in[i] == '.') {
            int first = ++i;
            while (i < end && isDigit(in[i])) {
                significand = significand * 10 + (in[i] - '0');
                i++;
            }
            if (i == first) {
                return -1;
            }
            // Leading zeros of a fraction (0.00123) add no significant digit.
            digits = significand == 0 ? 0 : digits + (i - first);
            exponent = first - i;
        }
        boolean plainExponent = true;
        if (i < end && (in[i] == 'e' || in[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (in[i] == '+' || in[i] == '-')) {
                negativeExponent = in[i] == '-';
                i++;
            }
            int first = i;
            int written = 0;
            while (i < end && isDigit(in[i])) {
                if (written < 100_000) {
                    written = written * 10 + (in[i] - '0');
                }
                i++;
            }
            if (i == first) {
                return -1;
            }
            // Exponents of more than 9 digits are left to the slow path, where they cannot overflow an int.
            plainExponent = i - first <= 9;
            exponent += negativeExponent ? -written : written;
        }
        if (i - start > maxLength) {
            return -1;
        }
        integral = i == afterInteger;
        if (plainExponent && fast(significand, digits, exponent, negative)) {
            return i;
        }
        try {
            value = JsonDoubleParser.parseDouble(in, start, i - start);
        } catch (NumberFormatException e) {
            return -1;
        }
        return i;
    }

    /**
     * Clinger's fast path: a significand exact as a double, scaled by an exact power of ten, rounds once.
     * A significand read from more than 18 digits may have overflowed, so it is not trusted.
     */
    private boolean fast(long significand, int digits, int exponent, boolean negative) {
        if (digits > MAX_FAST_DIGITS || significand > EXACT_LIMIT || exponent < -22 || exponent > 22) {
            return false;
        }
        double v = (double) significand;
        v = exponent < 0 ? v / POWERS[-exponent] : v * POWERS[exponent];
        value = negative ? -v : v;
        return true;
    }

    /** Where the first byte at or after {@code pos} that is not JSON whitespace lies ({@code end} if none). */
    public static int afterWhitespace(byte[] in, int pos, int end) {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return pos;
            }
            pos++;
        }
        return end;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
