package dev.scoria.core.input;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds where a JSON number ends and parses it to the nearest double in the same pass over its bytes.
 * Most numbers in a request (at most 15 significant digits, a decimal exponent within ±22) are exact
 * as {@code digits × 10^k} or {@code digits ÷ 10^k} in one correctly rounded IEEE operation (Clinger's
 * fast path), so they need no second pass; the rest go to {@code fastdoubleparser}, which rounds
 * correctly too. Either way the value is the one {@link Double#parseDouble} gives, but for a number
 * beyond a double's range, which is refused rather than read as an infinity (JSON cannot carry one).
 */
public final class JsonNumberScanner {

    /** Exact powers of ten as doubles: 10^22 is the largest a double holds exactly. */
    private static final double[] POWERS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    /** Below 2^53 every integer is an exact double. */
    private static final long EXACT_LIMIT = 1L << 53;

    /** 18 decimal digits always fit in a long; beyond them the fast path is not tried. */
    private static final int MAX_FAST_DIGITS = 18;

    /** JSON's digits, read eight at a time as the bytes of a little-endian long. */
    private static final VarHandle EIGHT_BYTES =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ZEROS = 0x3030303030303030L;
    private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;
    private static final long SIXES = 0x0606060606060606L;

    /** 10^n for the n digits (0 to 8) of one word. */
    private static final long[] SCALES = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private double value;
    private boolean integral;

    /** The significand as {@link #digits} leaves it; wraps around past 19 digits, when it is not used. */
    private long digitsValue;

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
     * breaks the grammar. A number longer than {@code maxLength} characters is refused with -1 too, and so
     * is one beyond a double's range (such as {@code 1e999}): the caller's general reader then says what is
     * wrong, where.
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
            digitsValue = 0;
            i = digits(in, i, end);
            significand = digitsValue;
            digits = i - first;
        }
        int afterInteger = i;
        if (i < end && in[i] == '.') {
            int first = ++i;
            int significant = i;
            if (digits == 0) {
                // Leading zeros of a fraction (0.00123) add no significant digit; skipped, they are not
                // counted, so that a significand that wrapped around to 0 is never taken for a zero.
                while (i < end && in[i] == '0') {
                    i++;
                }
                significant = i;
            }
            digitsValue = significand;
            i = digits(in, i, end);
            if (i == first) {
                return -1;
            }
            significand = digitsValue;
            digits += i - significant;
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
        // Only this path can overflow: the fast one's largest value, 2^53 * 10^22, is far below the limit.
        return Double.isInfinite(value) ? -1 : i;
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

    /**
     * Reads the digits from {@code i} on into {@link #digitsValue} (which holds the significand so far),
     * eight bytes at a time where eight remain, and returns where they end. Per-byte loops cost a compare,
     * a branch, a multiply and an add per digit; a word costs a few mask operations and three multiplies
     * for up to eight digits.
     */
    private int digits(byte[] in, int i, int end) {
        long significand = digitsValue;
        while (end - i >= Long.BYTES) {
            long word = (long) EIGHT_BYTES.get(in, i);
            // A byte is a digit when its high nibble is 3 and adding 6 keeps it so (0x30-0x39). A carry
            // out of a byte of 0xFA or more lands in the bytes after it, past the first non-digit.
            long notDigits = ((word & HIGH_NIBBLES) ^ ZEROS) | (((word + SIXES) & HIGH_NIBBLES) ^ ZEROS);
            int n = Long.numberOfTrailingZeros(notDigits) >>> 3;
            if (n == 0) {
                break;
            }
            // The n digits moved to the word's top bytes, as the last of eight digits with leading zeros.
            int shift = (Long.BYTES - n) * Byte.SIZE;
            significand = significand * SCALES[n] + eightDigits((word << shift) - (ZEROS << shift));
            i += n;
            if (n < Long.BYTES) {
                digitsValue = significand;
                return i;
            }
        }
        while (i < end && isDigit(in[i])) {
            significand = significand * 10 + (in[i] - '0');
            i++;
        }
        digitsValue = significand;
        return i;
    }

    /** The number written by eight digit values (0-9), one a byte, the first in the lowest byte. */
    private static long eightDigits(long values) {
        // Pairs, then fours, then the eight: each step joins neighbours with one multiply-add (simdjson's
        // parse_eight_digits_unrolled).
        long pairs = values * 10 + (values >>> 8);
        return (((pairs & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                        + (((pairs >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32))))
                >>> 32;
    }

    /**
     * The message for a number beyond a double's range at {@code where}, quoting at most the start of its
     * text (a number may be a thousand characters long).
     */
    public static String beyondDoubleRange(String where, String text) {
        String shown = text.length() <= 40 ? text : text.substring(0, 24) + "... (" + text.length() + " characters)";
        return where + " is " + shown + ", beyond the range of a double (about ±1.8e308)";
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
