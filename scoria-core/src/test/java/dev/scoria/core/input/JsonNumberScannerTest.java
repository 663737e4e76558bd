package dev.scoria.core.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one-pass number reader: the ends of JSON's grammar, and the values of {@link Double#parseDouble}. */
class JsonNumberScannerTest {

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /** The value's bits, or "none" when the text is refused. */
    static String read(String text) {
        byte[] bytes = ("  " + text + "  ").getBytes(StandardCharsets.UTF_8);
        JsonNumberScanner scanner = new JsonNumberScanner();
        int end = scanner.scan(bytes, 2, bytes.length - 2, 1000);
        if (end != bytes.length - 2) {
            return "none";
        }
        return Long.toHexString(Double.doubleToRawLongBits(scanner.value()));
    }

    static String expected(String text) {
        if (!JSON_NUMBER.matcher(text).matches() || text.length() > 1000) {
            return "none";
        }
        double value = Double.parseDouble(text);
        // Beyond a double's range a number is refused, not read as an infinity.
        return Double.isInfinite(value) ? "none" : Long.toHexString(Double.doubleToRawLongBits(value));
    }

    @Test
    void theEdgesOfTheFastPathAndOfTheGrammar() {
        List<String> texts = List.of(
                "0",
                "-0",
                "0.0",
                "-0.0",
                "1",
                "-1",
                "0.1",
                "1e22",
                "1e23",
                "1e-22",
                "1e-23",
                "9007199254740992",
                "9007199254740993",
                "9007199254740993e-5",
                "123456789012345678",
                "1234567890123456789",
                "12345678901234567890",
                "0.000000000000000000000000001",
                "4.9e-324",
                "5e-324",
                "2e-324",
                "1.7976931348623157e308",
                "1.8e308",
                "1e999999999999",
                "1e-999999999999",
                "1E+2",
                "1e-0",
                "0.0380759064334241",
                "-0.00259226199818282",
                "217.67978776218715",
                "00",
                "01",
                "-",
                "1.",
                ".5",
                "1e",
                "1e+",
                "+1",
                "-01",
                "1.e5",
                "0x10",
                "",
                "2.2250738585072011e-308",
                "2.2250738585072012e-308",
                "0.30000000000000004",
                "100000000000000000000000e-23");
        for (String text : texts) {
            assertThat(read(text)).as(text).isEqualTo(expected(text));
        }
    }

    @Test
    void randomNumbersReadAsParseDoubleReadsThem() {
        Random random = new Random(13);
        for (int i = 0; i < 200_000; i++) {
            String text = switch (i % 5) {
                case 0 -> Double.toString(Double.longBitsToDouble(random.nextLong()));
                case 1 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
                case 2 ->
                    new BigDecimal(random.nextGaussian())
                            .round(new MathContext(1 + random.nextInt(20)))
                            .toString();
                case 3 -> random.nextLong() % (1L << (1 + random.nextInt(62))) + "e" + (random.nextInt(60) - 30);
                default -> digits(random);
            };
            assertThat(read(text)).as(text).isEqualTo(expected(text));
        }
    }

    /**
     * Digits are read eight bytes at a time: every count of digits before and after the point, ended by every
     * byte that can follow, at every alignment, ends where the grammar says and reads as parseDouble reads.
     */
    @Test
    void digitsEndAtAnyByteAtAnyCount() {
        String many = "98765432109876543210987654321";
        for (int whole = 0; whole <= 21; whole++) {
            for (int fraction = -1; fraction <= 21; fraction++) {
                String text = (whole == 0 ? "0" : many.substring(0, whole))
                        + (fraction < 0 ? "" : "." + many.substring(many.length() - fraction));
                if (fraction == 0) {
                    continue;
                }
                for (int b = 0; b < 256; b++) {
                    if ((b >= '0' && b <= '9') || b == '.' || b == 'e' || b == 'E') {
                        continue;
                    }
                    byte[] bytes = (text + "x12345678901").getBytes(StandardCharsets.ISO_8859_1);
                    bytes[text.length()] = (byte) b;
                    JsonNumberScanner scanner = new JsonNumberScanner();
                    String what = text + " then byte " + b;
                    assertThat(scanner.scan(bytes, 0, bytes.length, 1000))
                            .as(what)
                            .isEqualTo(text.length());
                    assertThat(scanner.value()).as(what).isEqualTo(Double.parseDouble(text));
                }
            }
        }
    }

    /**
     * A significand of more than 19 digits wraps around in a long; one that wrapped to exactly 0 (a multiple of
     * 2^64) must not read as zero.
     */
    @Test
    void aSignificandThatWrapsToZeroIsNotZero() {
        String zeros64 = "0".repeat(64);
        List<String> texts = List.of(
                "0.18446744073709551616",
                "-0.18446744073709551616",
                "0.00018446744073709551616",
                "18446744073709551616",
                "1." + zeros64,
                "1." + zeros64 + "e60",
                "1." + zeros64 + "e-5",
                "0.0000" + zeros64,
                "0.00001" + zeros64);
        for (String text : texts) {
            assertThat(read(text)).as(text).isEqualTo(expected(text));
        }
    }

    @Test
    void longFractionsWithLeadingZeros() {
        Random random = new Random(17);
        for (int i = 0; i < 100_000; i++) {
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "-" : "");
            sb.append(random.nextInt(4) == 0 ? String.valueOf(1 + random.nextInt(1000)) : "0")
                    .append('.');
            sb.append("0".repeat(random.nextInt(6)));
            int n = 1 + random.nextInt(40);
            for (int k = 0; k < n; k++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
            if (random.nextInt(4) == 0) {
                sb.append('e').append(random.nextInt(50) - 25);
            }
            String text = sb.toString();
            assertThat(read(text)).as(text).isEqualTo(expected(text));
        }
    }

    @Test
    void numbersBeyondADoublesRangeAreRefused() {
        for (String text : List.of("1e999", "-1e999", "1.8e308", "-1.8e308", "1e309", "9".repeat(310), "0.1e310")) {
            assertThat(read(text)).as(text).isEqualTo("none");
        }
        for (String text : List.of("1.7976931348623157e308", "1.7976931348623158e308", "1e-999", "-1e-400")) {
            assertThat(read(text)).as(text).isNotEqualTo("none");
        }
    }

    @Test
    void integralMeansWrittenWithoutFractionOrExponent() {
        JsonNumberScanner scanner = new JsonNumberScanner();
        for (String text : List.of("0", "-0", "12", "-345")) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertThat(scanner.scan(bytes, 0, bytes.length, 1000)).isEqualTo(bytes.length);
            assertThat(scanner.integral()).as(text).isTrue();
        }
        for (String text : List.of("0.0", "1e2", "-1E0", "1.5")) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertThat(scanner.scan(bytes, 0, bytes.length, 1000)).isEqualTo(bytes.length);
            assertThat(scanner.integral()).as(text).isFalse();
        }
    }

    /** Digits, points, signs and exponents in any order: mostly not numbers, some close to one. */
    private static String digits(Random random) {
        String alphabet = "0123456789012345678901234567890123456789.-+eE";
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(24);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
