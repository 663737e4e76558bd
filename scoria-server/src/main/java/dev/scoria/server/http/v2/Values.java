package dev.scoria.server.http.v2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.input.JsonNumberScanner;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * The values of one input's {@code "data"}, read before its datatype is known (the fields of an input
 * come in any order): numbers as doubles (and, once a whole number too large for a double to hold
 * exactly arrives, also as exact longs); booleans; or strings. Nested lists are flattened in row-major
 * order. Sized from the input's shape when it came first, so a large tensor is read without copies.
 */
final class Values {

    private enum Kind {
        NONE,
        NUMBER,
        BOOL,
        STRING
    }

    private Kind kind = Kind.NONE;
    private int size;
    /** Doubles represent every whole number up to 2^53 exactly; beyond it, {@link #longs} holds them. */
    private static final long EXACT_IN_DOUBLE = 1L << 53;

    private double[] doubles;
    /** Null until a whole number beyond ±2^53 arrives; then every value so far as a long. */
    private long[] longs;

    private boolean wholeNumbers = true;
    private boolean[] bools;
    private String[] strings;
    private final String what;

    private Values(String what, int expected) {
        this.what = what;
        this.doubles = new double[Math.max(16, expected)];
    }

    private Values(double[] doubles, int size, boolean wholeNumbers) {
        this.what = "data";
        this.doubles = doubles;
        this.size = size;
        this.wholeNumbers = wholeNumbers;
        this.kind = size > 0 ? Kind.NUMBER : Kind.NONE;
    }

    /**
     * Numbers read by {@link V2JsonScanner}, held as {@link #read} holds them: integers (of at most 15
     * digits, exact as doubles) and numbers written with a fraction or exponent, which are not whole.
     */
    static final class NumberSink {

        /**
         * The largest array of values read into each thread's scratch, as the Azure route's rows are: a tensor
         * whose size is not known before its values (its shape comes after its data) is read there, then
         * copied out at its exact length, instead of into an estimate of 1.3 to 2 times as much.
         */
        private static final int SCRATCH_MAX = 32 * 1024;

        private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[256]);

        private final double[] scratch;
        private double[] doubles;
        private int size;
        private boolean wholeNumbers = true;

        /**
         * @param expected how many values the input's shape says it holds, when the shape came before the
         *     data (then they are read into an array of that length, which the tensor takes as it is), or 0
         * @param estimate how many values there may be otherwise
         */
        NumberSink(int expected, int estimate) {
            if (expected > 0) {
                scratch = null;
                doubles = new double[expected];
            } else if (estimate <= SCRATCH_MAX) {
                double[] mine = SCRATCH.get();
                if (mine.length < estimate) {
                    mine = new double[Math.min(SCRATCH_MAX, Math.max(estimate, mine.length * 2))];
                    SCRATCH.set(mine);
                }
                scratch = mine;
                doubles = mine;
            } else {
                scratch = null;
                doubles = new double[estimate];
            }
        }

        void add(double value, boolean integral) {
            if (size == doubles.length) {
                doubles = Arrays.copyOf(doubles, Math.max(16, size * 2));
            }
            doubles[size++] = value;
            wholeNumbers &= integral;
        }

        /** The values, never in the thread's scratch: it is the next input's. */
        Values values() {
            return new Values(doubles == scratch ? Arrays.copyOf(doubles, size) : doubles, size, wholeNumbers);
        }
    }

    /**
     * @param expected how many values the input's shape says it holds (when the shape came before the
     *     data), or 0; a lie costs nothing but the size of the first array, checked against the limit
     */
    static Values read(JsonParser p, String what, int expected) throws IOException {
        Values values = new Values(what, expected);
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_ARRAY) {
            values.add(p, t);
            return values;
        }
        int depth = 0;
        do {
            if (t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_ARRAY) {
                depth--;
            } else {
                values.add(p, t);
            }
        } while (depth > 0 && (t = p.nextToken()) != null);
        return values;
    }

    int size() {
        return size;
    }

    private void add(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_NUMBER_INT -> {
                kind(Kind.NUMBER);
                grow();
                try {
                    long v = p.getLongValue();
                    doubles[size] = v;
                    if (longs == null && (v > EXACT_IN_DOUBLE || v < -EXACT_IN_DOUBLE)) {
                        longs = new long[doubles.length];
                        for (int i = 0; i < size; i++) {
                            longs[i] = (long) doubles[i];
                        }
                    }
                    if (longs != null) {
                        longs[size] = v;
                    }
                } catch (InputCoercionException e) {
                    // Beyond 64 bits: only a floating-point type can hold it.
                    wholeNumbers = false;
                    doubles[size] = finite(p);
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                kind(Kind.NUMBER);
                grow();
                wholeNumbers = false;
                doubles[size] = finite(p);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                kind(Kind.BOOL);
                if (bools == null || size == bools.length) {
                    bools = bools == null ? new boolean[16] : Arrays.copyOf(bools, size * 2);
                }
                bools[size] = t == JsonToken.VALUE_TRUE;
            }
            case VALUE_STRING -> {
                kind(Kind.STRING);
                if (strings == null || size == strings.length) {
                    strings = strings == null ? new String[16] : Arrays.copyOf(strings, size * 2);
                }
                strings[size] = p.getText();
            }
            default ->
                throw ScoriaException.badInput(what + " data[" + size + "] is " + V2RequestReader.describe(t)
                        + ": expected numbers, booleans or strings, in (nested) lists");
        }
        size++;
    }

    /** The number read as a double, refused beyond a double's range: it would be scored as an infinity. */
    private double finite(JsonParser p) throws IOException {
        double value = p.getDoubleValue();
        if (Double.isInfinite(value)) {
            throw ScoriaException.badInput(
                    JsonNumberScanner.beyondDoubleRange(what + " data[" + size + "]", p.getText()));
        }
        return value;
    }

    private void kind(Kind seen) {
        if (kind == Kind.NONE) {
            kind = seen;
        } else if (kind != seen) {
            // The first value set the kind, so either may be the wrong one: say where each is.
            throw ScoriaException.badInput(what + " data mixes " + name(kind) + " (from data[0]) and " + name(seen)
                    + " (at data[" + size + "]): an input's data is all numbers, all booleans or all strings");
        }
    }

    private static String name(Kind kind) {
        return switch (kind) {
            case NUMBER -> "numbers";
            case BOOL -> "booleans";
            case STRING -> "strings";
            case NONE -> "nothing";
        };
    }

    private void grow() {
        if (size == doubles.length) {
            doubles = Arrays.copyOf(doubles, size * 2);
            if (longs != null) {
                longs = Arrays.copyOf(longs, size * 2);
            }
        }
    }

    /** The values in the Java array of {@code datatype}, refused when they do not fit it. */
    Object as(Datatype datatype, String input) {
        if (size == 0) {
            return Array.newInstance(datatype.storage().getComponentType(), 0);
        }
        switch (datatype) {
            case BOOL -> {
                expect(Kind.BOOL, datatype, input);
                return Arrays.copyOf(bools, size);
            }
            case BYTES -> {
                expect(Kind.STRING, datatype, input);
                return Arrays.copyOf(strings, size);
            }
            case FP64 -> {
                expect(Kind.NUMBER, datatype, input);
                // Read at the length the shape gave, the array is the tensor's as it is.
                return doubles.length == size ? doubles : Arrays.copyOf(doubles, size);
            }
            case FP32, FP16 -> {
                expect(Kind.NUMBER, datatype, input);
                float[] out = new float[size];
                for (int i = 0; i < size; i++) {
                    float f = (float) doubles[i];
                    // The doubles are finite: an infinity here is a number that overflowed the float.
                    if (Float.isInfinite(f)) {
                        throw ScoriaException.badInput(input + " data[" + i + "] is " + doubles[i]
                                + ", beyond the range of a float (about ±3.4e38): the input is " + datatype);
                    }
                    out[i] = f;
                }
                return out;
            }
            default -> {
                expect(Kind.NUMBER, datatype, input);
                if (!wholeNumbers) {
                    throw ScoriaException.badInput(
                            input + " is " + datatype + " but its data has numbers that are not whole");
                }
                long[] whole = longs != null ? Arrays.copyOf(longs, size) : new long[size];
                if (longs == null) {
                    for (int i = 0; i < size; i++) {
                        whole[i] = (long) doubles[i];
                    }
                }
                long min = min(datatype);
                long max = max(datatype);
                for (int i = 0; i < size; i++) {
                    if (whole[i] < min || whole[i] > max) {
                        throw ScoriaException.badInput(
                                input + " data[" + i + "] is " + whole[i] + ": out of range for " + datatype);
                    }
                }
                if (datatype.storage() == long[].class) {
                    return whole;
                }
                int[] out = new int[size];
                for (int i = 0; i < size; i++) {
                    out[i] = (int) whole[i];
                }
                return out;
            }
        }
    }

    private void expect(Kind wanted, Datatype datatype, String input) {
        if (kind != wanted) {
            throw ScoriaException.badInput(
                    input + " is " + datatype + " but its data holds " + name(kind) + ": expected " + name(wanted));
        }
    }

    private static long min(Datatype t) {
        return switch (t) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    private static long max(Datatype t) {
        return switch (t) {
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case UINT8 -> 255;
            case UINT16 -> 65_535;
            case UINT32 -> 4_294_967_295L;
            default -> Long.MAX_VALUE;
        };
    }
}
