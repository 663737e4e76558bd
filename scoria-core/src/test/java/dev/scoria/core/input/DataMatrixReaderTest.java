package dev.scoria.core.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ScoriaException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@code {"data": [[...]]}} reader: its fast path over the bytes and its Jackson path agree on every
 * body, valid or not, and the values are those of {@link Double#parseDouble}.
 */
class DataMatrixReaderTest {

    final DataMatrixReader anyCols = new DataMatrixReader(-1, -1, "input 'input' double[N, k]");
    final DataMatrixReader threeCols = new DataMatrixReader(3, -1, "input 'input' double[N, 3]");
    final DataMatrixReader twoRows = new DataMatrixReader(3, 2, "input 'input' double[2, 3]");

    /** What a reader makes of a body: its values, or its error message. */
    static String outcome(DataMatrixReader reader, byte[] body, boolean jacksonOnly) {
        try {
            DenseMatrix m = jacksonOnly ? reader.readTokens(body, 0, body.length) : reader.read(body);
            return m.rows() + "x" + m.cols() + " " + Arrays.toString(Arrays.copyOf(m.values(), m.rows() * m.cols()));
        } catch (ScoriaException e) {
            return "error: " + e.getMessage();
        }
    }

    void assertAgree(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (DataMatrixReader reader : List.of(anyCols, threeCols, twoRows)) {
            assertThat(outcome(reader, bytes, false)).as("body %s", body).isEqualTo(outcome(reader, bytes, true));
        }
    }

    @Test
    void plainRowsAreReadWithTheValuesOfParseDouble() {
        DenseMatrix m =
                threeCols.read("{\"data\": [[1, -2.5, 3e2], [0.1, 1E-3, -0]]}".getBytes(StandardCharsets.UTF_8));
        assertThat(m.rows()).isEqualTo(2);
        assertThat(m.cols()).isEqualTo(3);
        assertThat(Arrays.copyOf(m.values(), 6)).containsExactly(1, -2.5, 300, 0.1, 0.001, -0.0);
    }

    @Test
    void aBodyInsideALargerArrayIsReadWhereItLies() {
        byte[] padded = "xx{\"data\":[[1,2,3]]}yy".getBytes(StandardCharsets.UTF_8);
        DenseMatrix m = threeCols.read(padded, 2, padded.length - 4);
        assertThat(Arrays.copyOf(m.values(), 3)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> threeCols.read(padded, 2, padded.length - 3)).hasMessageContaining("not valid JSON");
    }

    @Test
    void everyOtherShapeGetsTheSameAnswerAsTheGeneralReader() {
        List<String> bodies = List.of(
                "{\"data\": [[1,2,3]]}",
                " \n\t{ \"data\" :\r\n [ [ 1 , 2 , 3 ] , [4,5,6] ] } \n",
                "{\"data\": [[1,2,3]], \"method\": \"predict\"}",
                "{\"method\": \"predict\", \"data\": [[1,2,3]]}",
                "{\"data\": [[1,2,3]], \"data\": [[1,2,3]]}",
                "{\"d\\u0061ta\": [[1,2,3]]}",
                "\uFEFF{\"data\": [[1,2,3]]}",
                "{\"data\": []}",
                "{\"data\": [[]]}",
                "{\"data\": [[1,2]]}",
                "{\"data\": [[1,2,3,4]]}",
                "{\"data\": [[1,2,3],[1,2]]}",
                "{\"data\": [1,2,3]}",
                "{\"data\": [[1,\"2\",3]]}",
                "{\"data\": [[1,null,3]]}",
                "{\"data\": [[1,true,3]]}",
                "{\"data\": [[1,[2],3]]}",
                "{\"data\": [[01,2,3]]}",
                "{\"data\": [[+1,2,3]]}",
                "{\"data\": [[1.,2,3]]}",
                "{\"data\": [[.5,2,3]]}",
                "{\"data\": [[1e,2,3]]}",
                "{\"data\": [[1e+,2,3]]}",
                "{\"data\": [[--1,2,3]]}",
                "{\"data\": [[1-2,2,3]]}",
                "{\"data\": [[NaN,2,3]]}",
                "{\"data\": [[Infinity,2,3]]}",
                "{\"data\": [[1e999,-1e999,1e-999]]}",
                "{\"data\": [[123456789012345678901234567890,9007199254740993,-9223372036854775809]]}",
                "{\"data\": [[1,2,3],]}",
                "{\"data\": [[1,2,3,]]}",
                "{\"data\": [[1,2,3]]",
                "{\"data\": [[1,2,3]]}}",
                "{\"data\": [[1,2,3]]} x",
                "{\"data\": [[1 2 3]]}",
                "{\"data\": [[1,,3]]}",
                "{\"data\" [[1,2,3]]}",
                "{data: [[1,2,3]]}",
                "{\"data\": [[1,2,3]]}\u0000",
                "[[1,2,3]]",
                "",
                " ",
                "{\"data\": [[1,2,3],[4,5,6],[7,8,9]]}",
                "{\"data\": [[" + "1".repeat(1001) + ",2,3]]}");
        for (String body : bodies) {
            assertAgree(body);
        }
    }

    @Test
    void aNumberBeyondADoublesRangeIsRefusedNamingItsPlaceAndText() {
        assertThatThrownBy(() -> threeCols.read("{\"data\": [[1,2,3],[4,1e999,6]]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ScoriaException.class)
                .hasMessage("data[1][1] is 1e999, beyond the range of a double (about ±1.8e308)");
        assertThatThrownBy(() -> anyCols.read("{\"data\": [[-2E308]]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("data[0][0] is -2E308, beyond the range of a double (about ±1.8e308)");
        String huge = "9".repeat(400);
        assertThatThrownBy(() -> anyCols.read(("{\"data\": [[1, " + huge + "]]}").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("data[0][1] is " + "9".repeat(24)
                        + "... (400 characters), beyond the range of a double (about ±1.8e308)");
        // The largest double and the smallest denormal still read; below that, a number rounds to zero.
        DenseMatrix edges = anyCols.read(
                "{\"data\": [[1.7976931348623157e308, -4.9e-324, 1e-999]]}".getBytes(StandardCharsets.UTF_8));
        assertThat(Arrays.copyOf(edges.values(), 3)).containsExactly(Double.MAX_VALUE, -Double.MIN_VALUE, 0.0);
    }

    @Test
    void randomNumbersInEveryJsonSpellingAgreeWithTheGeneralReaderAndParseDouble() {
        Random random = new Random(20261206);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(5);
            StringBuilder body =
                    new StringBuilder("{\"data\":").append(space(random)).append('[');
            double[] expected = new double[rows * 3];
            for (int r = 0; r < rows; r++) {
                body.append(r == 0 ? "" : "," + space(random)).append('[');
                for (int c = 0; c < 3; c++) {
                    String number = number(random);
                    expected[r * 3 + c] = Double.parseDouble(number);
                    body.append(c == 0 ? "" : ",")
                            .append(space(random))
                            .append(number)
                            .append(space(random));
                }
                body.append(']');
            }
            String text = body.append("]}").toString();
            assertAgree(text);
            DenseMatrix m = threeCols.read(text.getBytes(StandardCharsets.UTF_8));
            assertThat(Arrays.copyOf(m.values(), rows * 3)).as(text).containsExactly(expected);
        }
    }

    private static String space(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            default -> "";
        };
    }

    private static String number(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> String.valueOf(random.nextInt(2_000_000) - 1_000_000);
            case 1 -> String.valueOf(random.nextGaussian());
            case 2 -> String.valueOf(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 3 ->
                (random.nextBoolean() ? "-" : "") + random.nextInt(10) + "." + random.nextInt(1_000_000) + "e"
                        + (random.nextBoolean() ? "+" : "-") + random.nextInt(300);
            case 4 -> String.valueOf(random.nextLong());
            default -> "0.0" + Math.abs(random.nextLong()) + "E" + random.nextInt(20);
        };
    }

    /** The fast path reads into the thread's scratch array, but each matrix owns an exact copy. */
    @Test
    void eachMatrixOwnsAnArrayOfExactlyItsValues() {
        byte[] first = "{\"data\": [[1, 2, 3], [4, 5, 6]]}".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"data\": [[7, 8, 9]]}".getBytes(StandardCharsets.UTF_8);
        DenseMatrix a = threeCols.read(first);
        DenseMatrix b = threeCols.read(second);
        DenseMatrix part = threeCols.readPart(first, new RowsPart(0, first.length, true, true));
        assertThat(a.values()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(b.values()).containsExactly(7, 8, 9);
        assertThat(part.values()).containsExactly(1, 2, 3, 4, 5, 6).isNotSameAs(a.values());
    }
}
