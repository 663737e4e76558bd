package dev.scoria.server.http.v2;

import dev.scoria.core.input.JsonNumberScanner;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path of {@link V2RequestReader} for the plain JSON request most clients send:
 * {@code {"id"?, "inputs": [{"name", "shape", "datatype", "data"}, ...]}} with numbers as data (flat or
 * nested), strings without escapes, any JSON whitespace, fields in any order. It reads the bytes where
 * they lie, each number parsed in the pass that finds it, with no token objects and no copy of digits.
 *
 * <p>Anything else, valid or not (other fields, "outputs" or "parameters", booleans or strings as data,
 * escapes or non-ASCII text, a field given twice, integers of more than 15 digits, numbers beyond a
 * double's range, bad JSON), makes it answer null having judged nothing: the Jackson reader then reads
 * the body and says what is wrong. The values it reads are those Jackson's reader gives, integers included
 * (as {@code -0} read as a long is 0).
 */
final class V2JsonScanner {

    /** Jackson's default longest number: a longer one goes to Jackson, which refuses it. */
    private static final int MAX_NUMBER_LENGTH = 1000;
    /** Integers of up to 15 digits are exact doubles; longer ones go to Jackson, which reads them as longs. */
    private static final int MAX_INTEGER_DIGITS = 15;
    /** Deeper data goes to Jackson, which has its own nesting limit. */
    private static final int MAX_DEPTH = 64;
    /** Shapes of more dimensions go to Jackson, which refuses them. */
    private static final int MAX_DIMENSIONS = 64;
    /** Far below Jackson's limits on a string's length: a longer one is for Jackson to judge. */
    private static final int MAX_STRING_LENGTH = 10_000;

    /** The fields the fast path reads; {@link #field} answers a name's place here. */
    private static final byte[][] FIELDS = {
        ascii("id"), ascii("inputs"), ascii("name"), ascii("datatype"), ascii("shape"), ascii("data")
    };

    private static final int ID = 0;
    private static final int INPUTS = 1;
    private static final int NAME = 2;
    private static final int DATATYPE = 3;
    private static final int SHAPE = 4;
    private static final int DATA = 5;

    private final JsonNumberScanner numbers = new JsonNumberScanner();
    private final byte[] in;
    private final int end;
    private int pos;

    /** The request's "id", when it had one. */
    private String id;

    /** In {@link #layout}: into how many parts the one input's data is to be cut; 0 when its values are read. */
    private int layoutParts;
    /** In {@link #layout}: where the data's values lie, and the commas that end each part but the last. */
    private int dataFrom = -1;

    private int dataTo;
    private int[] cuts;
    private long perRow;

    private V2JsonScanner(byte[] in, int offset, int length) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
    }

    /** The request read as {@link V2RequestReader} reads it, or null when it is not plainly of that form. */
    static Parsed scan(byte[] body, int offset, int length) {
        V2JsonScanner scanner = new V2JsonScanner(body, offset, length);
        List<V2RequestReader.RawInput> inputs = scanner.request();
        return inputs == null ? null : new Parsed(scanner.id, inputs);
    }

    /** What the fast path read: the inputs untyped, as the general reader leaves them. */
    record Parsed(String id, List<V2RequestReader.RawInput> inputs) {}

    /**
     * A request {@link #scan} would read, of one input whose shape comes before its data and whose data is one
     * flat list of numbers, located rather than read and cut at row boundaries into at most {@code parts}
     * parts of whole rows (each row the values of one index of the shape's first dimension): null for any
     * other request. Finding the cuts is a pass over the data's bytes, eight or sixteen a step, that only counts
     * commas: what lies between them is for each part to read, and a part fails unless it finds exactly as many
     * numbers as its rows hold.
     */
    static Layout layout(byte[] body, int offset, int length, int parts) {
        V2JsonScanner scanner = new V2JsonScanner(body, offset, length);
        scanner.layoutParts = Math.max(1, parts);
        List<V2RequestReader.RawInput> inputs = scanner.request();
        if (inputs == null || inputs.size() != 1 || scanner.dataFrom < 0) {
            return null;
        }
        return new Layout(scanner.id, inputs.get(0), scanner.dataFrom, scanner.dataTo, scanner.cuts, scanner.perRow);
    }

    /**
     * Where a flat data list lies ({@code from} just after its {@code [}, {@code to} at its {@code ]}) and the
     * commas that end its parts ({@code cuts}, one fewer than the parts), and the values in a row ({@code
     * perRow}: the product of the shape's dimensions after the first); {@code input} has no values.
     */
    record Layout(String id, V2RequestReader.RawInput input, int from, int to, int[] cuts, long perRow) {

        int parts() {
            return cuts.length + 1;
        }

        /** Where part {@code i}'s values lie: from (inclusive), to (exclusive). */
        int partFrom(int i) {
            return i == 0 ? from : cuts[i - 1] + 1;
        }

        int partTo(int i) {
            return i == cuts.length ? to : cuts[i];
        }

        /** The rows of part {@code i}: the shape's first dimension shared as evenly as the parts are. */
        long rowsBefore(int i) {
            return input.shape[0] * i / parts();
        }
    }

    /**
     * The {@code count} comma-separated numbers between {@code from} and {@code to}, read as {@link #scan} reads
     * data; null unless they are exactly that.
     */
    static Values flatValues(byte[] body, int from, int to, int count) {
        V2JsonScanner scanner = new V2JsonScanner(body, from, to - from);
        Values.NumberSink sink = new Values.NumberSink(count, count);
        for (int k = 0; k < count; k++) {
            if ((k > 0 && !scanner.take(',')) || !scanner.number(sink)) {
                return null;
            }
        }
        scanner.skipWhitespace();
        return scanner.pos == scanner.end ? sink.values() : null;
    }

    private List<V2RequestReader.RawInput> request() {
        if (!take('{')) {
            return null;
        }
        List<V2RequestReader.RawInput> inputs = null;
        boolean sawId = false;
        if (!peek('}')) {
            do {
                int field = field();
                if (field < 0 || !take(':')) {
                    return null;
                }
                skipWhitespace();
                if (field == ID && !sawId) {
                    sawId = true;
                    id = string();
                    if (id == null) {
                        return null;
                    }
                } else if (field == INPUTS && inputs == null) {
                    inputs = inputs();
                    if (inputs == null) {
                        return null;
                    }
                } else {
                    return null;
                }
            } while (take(','));
        }
        if (!take('}')) {
            return null;
        }
        skipWhitespace();
        return pos == end ? inputs : null;
    }

    private List<V2RequestReader.RawInput> inputs() {
        if (!take('[')) {
            return null;
        }
        List<V2RequestReader.RawInput> inputs = new ArrayList<>(2);
        if (take(']')) {
            return inputs;
        }
        do {
            V2RequestReader.RawInput input = input();
            if (input == null) {
                return null;
            }
            inputs.add(input);
        } while (take(','));
        return take(']') ? inputs : null;
    }

    private V2RequestReader.RawInput input() {
        if (!take('{')) {
            return null;
        }
        V2RequestReader.RawInput input = new V2RequestReader.RawInput();
        if (!peek('}')) {
            do {
                int field = field();
                if (field < 0 || !take(':')) {
                    return null;
                }
                skipWhitespace();
                switch (field) {
                    case NAME -> {
                        if (input.name != null || (input.name = string()) == null) {
                            return null;
                        }
                    }
                    case DATATYPE -> {
                        if (input.datatype != null || (input.datatype = string()) == null) {
                            return null;
                        }
                    }
                    case SHAPE -> {
                        if (input.shape != null || (input.shape = shape()) == null) {
                            return null;
                        }
                    }
                    case DATA -> {
                        if (layoutParts > 0) {
                            if (dataFrom >= 0 || !locateFlatData(input.shape)) {
                                return null;
                            }
                        } else if (input.values != null || (input.values = data(input.shape)) == null) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            } while (take(','));
        }
        // A missing name is for the general reader to report.
        return take('}') && input.name != null ? input : null;
    }

    private long[] shape() {
        if (!take('[')) {
            return null;
        }
        long[] shape = new long[4];
        int n = 0;
        if (!take(']')) {
            do {
                skipWhitespace();
                int stop = numbers.scan(in, pos, end, MAX_NUMBER_LENGTH);
                if (stop < 0 || !numbers.integral() || stop - pos > MAX_INTEGER_DIGITS || in[pos] == '-') {
                    return null;
                }
                pos = stop;
                if (n == MAX_DIMENSIONS) {
                    return null;
                }
                if (n == shape.length) {
                    shape = Arrays.copyOf(shape, n * 2);
                }
                shape[n++] = (long) numbers.value();
            } while (take(','));
            if (!take(']')) {
                return null;
            }
        }
        return Arrays.copyOf(shape, n);
    }

    private static final VarHandle EIGHT_BYTES =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;

    private static final long COMMAS = ONES * ',';
    private static final long CLOSING_BRACKETS = ONES * ']';

    /** The zero bytes of {@code x}, each marked by its top bit; exact, with no borrow between bytes. */
    private static long zeroBytes(long x) {
        return ~(((x & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | x | LOW_SEVEN_BITS);
    }

    private static long commaBytes(long word) {
        return zeroBytes(word ^ COMMAS);
    }

    /**
     * At a data list, given the shape read before it: finds the commas after which each part's first row starts,
     * and the {@code ]} that closes the list, the first after the last of them. This pass only counts commas;
     * each part then reads its values and accepts nothing but as many numbers as its rows hold, so a list that
     * is not flat numbers, or holds more or fewer than the shape says, fails a part and is read whole.
     */
    private boolean locateFlatData(long[] shape) {
        if (shape == null || shape.length == 0 || shape[0] < 2 || !take('[') || peek('[') || peek(']')) {
            return false;
        }
        long perRow = 1;
        for (int d = 1; d < shape.length; d++) {
            if (shape[d] <= 0 || perRow > Integer.MAX_VALUE / shape[d]) {
                return false;
            }
            perRow *= shape[d];
        }
        if (shape[0] > Integer.MAX_VALUE / perRow) {
            return false;
        }
        int parts = (int) Math.min(layoutParts, shape[0]);
        int[] found = new int[parts - 1];
        int from = pos;
        int next = 0;
        // Part k starts at value rows(k) * perRow, just after the comma that many values in.
        long target = firstValueOf(1, parts, shape[0], perRow);
        long commas = 0;
        int i = pos;
        while (next < found.length && end - i >= Long.BYTES) {
            // Sixteen bytes a step while no cut lies in them: most of a large list.
            while (end - i >= 2 * Long.BYTES) {
                int inBoth = Long.bitCount(commaBytes((long) EIGHT_BYTES.get(in, i)))
                        + Long.bitCount(commaBytes((long) EIGHT_BYTES.get(in, i + Long.BYTES)));
                if (commas + inBoth >= target) {
                    break;
                }
                commas += inBoth;
                i += 2 * Long.BYTES;
            }
            if (end - i < Long.BYTES) {
                break;
            }
            long commaBits = commaBytes((long) EIGHT_BYTES.get(in, i));
            int inWord = Long.bitCount(commaBits);
            while (commas + inWord >= target) {
                // The (target - commas)th comma of this word.
                long bits = commaBits;
                for (long k = target - commas; k > 1; k--) {
                    bits &= bits - 1;
                }
                found[next++] = i + (Long.numberOfTrailingZeros(bits) >>> 3);
                target = firstValueOf(next + 1, parts, shape[0], perRow);
            }
            commas += inWord;
            i += Long.BYTES;
        }
        for (; next < found.length && i < end; i++) {
            if (in[i] == ',' && ++commas == target) {
                found[next++] = i;
                target = firstValueOf(next + 1, parts, shape[0], perRow);
            }
        }
        if (next < found.length) {
            return false;
        }
        int close = closingBracket(found.length == 0 ? from : found[found.length - 1] + 1);
        if (close == end) {
            return false;
        }
        dataFrom = from;
        dataTo = close;
        cuts = found;
        this.perRow = perRow;
        pos = close + 1;
        return true;
    }

    /**
     * The first {@code ]} from {@code i}, or {@code end}: a word at a time, as the last part's bytes (an eighth of
     * a large list) are otherwise looked at one by one.
     */
    private int closingBracket(int i) {
        while (end - i >= Long.BYTES) {
            long brackets = zeroBytes((long) EIGHT_BYTES.get(in, i) ^ CLOSING_BRACKETS);
            if (brackets != 0) {
                return i + (Long.numberOfTrailingZeros(brackets) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < end && in[i] != ']') {
            i++;
        }
        return i;
    }

    /**
     * The index of part {@code part}'s first value, which is also how many commas come before it; past the last
     * part, never reached.
     */
    private static long firstValueOf(int part, int parts, long rows, long perRow) {
        return part < parts ? rows * part / parts * perRow : Long.MAX_VALUE;
    }

    /** A number, or (nested) lists of numbers, flattened in order; {@code shape} when it came before them. */
    private Values data(long[] shape) {
        Values.NumberSink sink =
                new Values.NumberSink(V2RequestReader.expectedCount(shape, pos, end), Math.max(16, (end - pos) / 16));
        if (!peek('[')) {
            return number(sink) ? sink.values() : null;
        }
        int depth = 0;
        while (true) {
            // At the start of a value inside a list, or of the data itself.
            if (take('[')) {
                if (++depth > MAX_DEPTH) {
                    return null;
                }
                if (!peek(']')) {
                    continue;
                }
            } else if (!number(sink)) {
                return null;
            }
            // After a value: close lists until a comma starts the next one.
            while (true) {
                if (take(',')) {
                    break;
                }
                if (!take(']')) {
                    return null;
                }
                if (--depth == 0) {
                    return sink.values();
                }
            }
        }
    }

    private boolean number(Values.NumberSink sink) {
        skipWhitespace();
        int stop = numbers.scan(in, pos, end, MAX_NUMBER_LENGTH);
        if (stop < 0) {
            return false;
        }
        boolean integral = numbers.integral();
        int digits = stop - pos - (in[pos] == '-' ? 1 : 0);
        if (integral && digits > MAX_INTEGER_DIGITS) {
            return false;
        }
        pos = stop;
        // An integer is read as a long, as Jackson's reader reads it: -0 is 0.
        sink.add(integral ? (double) (long) numbers.value() : numbers.value(), integral);
        return true;
    }

    /**
     * A field's name, matched where it lies rather than made a String: its place in {@link #FIELDS}, or -1
     * for any other name and for what {@link #string} refuses.
     */
    private int field() {
        if (!take('"')) {
            return -1;
        }
        int start = pos;
        while (pos < end) {
            byte b = in[pos];
            if (b == '"') {
                pos++;
                for (int f = 0; f < FIELDS.length; f++) {
                    if (Arrays.equals(in, start, pos - 1, FIELDS[f], 0, FIELDS[f].length)) {
                        return f;
                    }
                }
                return -1;
            }
            if (b == '\\' || b < 0x20 || pos - start > MAX_STRING_LENGTH) {
                return -1;
            }
            pos++;
        }
        return -1;
    }

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /** A string of printable ASCII without escapes, or null for anything else. */
    private String string() {
        if (!take('"')) {
            return null;
        }
        int start = pos;
        while (pos < end) {
            byte b = in[pos];
            if (b == '"') {
                String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
                pos++;
                return s;
            }
            if (b == '\\' || b < 0x20 || pos - start > MAX_STRING_LENGTH) {
                return null;
            }
            pos++;
        }
        return null;
    }

    /** Skips whitespace, then takes {@code expected} if it is next. */
    private boolean take(char expected) {
        if (peek(expected)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Skips whitespace; whether {@code expected} is next. */
    private boolean peek(char expected) {
        skipWhitespace();
        return pos < end && in[pos] == expected;
    }

    private void skipWhitespace() {
        pos = JsonNumberScanner.afterWhitespace(in, pos, end);
    }
}
