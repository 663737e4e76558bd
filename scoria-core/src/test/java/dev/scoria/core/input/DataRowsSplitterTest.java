package dev.scoria.core.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.ScoriaException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A body cut into parts of whole rows: read part by part it gives the rows the whole body gives, in order,
 * and a body the whole reader would refuse (or read with Jackson) is never read in parts.
 */
class DataRowsSplitterTest {

    static final DataMatrixReader ANY_COLS = new DataMatrixReader(-1, -1, "input 'x'");
    static final DataMatrixReader THREE_COLS = new DataMatrixReader(3, -1, "input 'x'");

    /**
     * The values read part by part, stacked, as "rows x cols [values]"; null when some part does not read
     * (then the whole body is read instead). Parts of differing widths do not stack either.
     */
    static String readInParts(DataMatrixReader reader, byte[] body, int offset, int length, int parts) {
        List<RowsPart> cuts = DataRowsSplitter.split(body, offset, length, parts);
        List<Double> values = new ArrayList<>();
        int rows = 0;
        int cols = -1;
        for (RowsPart part : cuts) {
            DenseMatrix m = reader.readPart(body, part);
            if (m == null || (cols >= 0 && m.cols() != cols)) {
                return null;
            }
            cols = m.cols();
            rows += m.rows();
            for (int i = 0; i < m.rows() * m.cols(); i++) {
                values.add(m.values()[i]);
            }
        }
        return rows + "x" + cols + " " + values;
    }

    static String readWhole(DataMatrixReader reader, byte[] body, int offset, int length) {
        try {
            DenseMatrix m = reader.read(body, offset, length);
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < m.rows() * m.cols(); i++) {
                values.add(m.values()[i]);
            }
            return m.rows() + "x" + m.cols() + " " + values;
        } catch (ScoriaException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Read in parts, the body gives what it gives whole; read whole, it is refused or read the same. */
    static void assertPartsAgree(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        for (DataMatrixReader reader : List.of(ANY_COLS, THREE_COLS)) {
            String whole = readWhole(reader, body, 0, body.length);
            for (int parts = 1; parts <= 5; parts++) {
                String inParts = readInParts(reader, body, 0, body.length, parts);
                if (inParts != null) {
                    assertThat(inParts).as("%s in %d parts", text, parts).isEqualTo(whole);
                }
            }
        }
    }

    @Test
    void rowsReadInPartsAreTheRowsOfTheWholeBodyInOrder() {
        StringBuilder sb = new StringBuilder("{\"data\": [");
        for (int r = 0; r < 1000; r++) {
            sb.append(r == 0 ? "" : ", ")
                    .append("[")
                    .append(r)
                    .append(", ")
                    .append(r + 0.5)
                    .append(", -")
                    .append(r)
                    .append("e-3]");
        }
        byte[] body = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        for (int parts = 1; parts <= 8; parts++) {
            List<RowsPart> cuts = DataRowsSplitter.split(body, 0, body.length, parts);
            assertThat(cuts).hasSize(parts);
            assertThat(readInParts(THREE_COLS, body, 0, body.length, parts))
                    .isEqualTo(readWhole(THREE_COLS, body, 0, body.length));
        }
    }

    @Test
    void theBodysBytesWithACommaBetweenPartsAreTheBody() {
        byte[] padded = "xx{\"data\": [[1,2,3] ,\n[4,5,6],[7,8,9]] }yy".getBytes(StandardCharsets.UTF_8);
        List<RowsPart> cuts = DataRowsSplitter.split(padded, 2, padded.length - 4, 3);
        StringBuilder joined = new StringBuilder();
        for (RowsPart part : cuts) {
            joined.append(joined.length() == 0 ? "" : ",")
                    .append(new String(Arrays.copyOfRange(padded, part.from(), part.to()), StandardCharsets.UTF_8));
        }
        assertThat(joined.toString()).isEqualTo("{\"data\": [[1,2,3] ,\n[4,5,6],[7,8,9]] }");
        assertThat(cuts.get(0).first()).isTrue();
        assertThat(cuts.get(cuts.size() - 1).last()).isTrue();
        assertThat(readInParts(THREE_COLS, padded, 2, padded.length - 4, 3))
                .isEqualTo("3x3 [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]");
    }

    @Test
    void bodiesThatAreNotPlainRowsAreNotReadInParts() {
        List<String> refused = List.of(
                "{\"data\": [[1,2,3],[4,5]]}",
                "{\"data\": [[1,2,3],[4,5,6,7]]}",
                "{\"data\": [[1,2,3],[4,5,\"6\"]]}",
                "{\"data\": [[1,2,3]], \"x\": [[1,2,3],[4,5,6]]}",
                "{\"data\": [[1,2,3],[4,5,6]], \"x\": \"],[\"}",
                "{\"data\": [[1,2,3],,[4,5,6]]}",
                "{\"data\": [[1,2,3],[4,5,6],]}",
                "{\"data\": [[1,2,3],[4,5,6]]",
                "{\"data\": [[1,2,3],[4,5,6]]} x",
                "{\"data\": [[1,2,3],[4,5,6]]}}",
                "{\"data\": [[1,2,3]],[[4,5,6]]}",
                "{\"data\": [[1,2,3],[01,5,6]]}",
                "{\"data\": [[1,2,3],[4,1e999,6]]}",
                "{\"data\": [[1,2,3],[4,5,-1e400]]}");
        for (String text : refused) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            for (int parts = 2; parts <= 5; parts++) {
                assertThat(readInParts(THREE_COLS, body, 0, body.length, parts))
                        .as(text)
                        .isNull();
            }
            assertPartsAgree(text);
        }
    }

    @Test
    void randomBodiesReadInPartsAgreeWithTheWholeReader() {
        Random random = new Random(13);
        String alphabet = "[[[]]],,,,  \n0123456789.-e\"data\":{}x";
        for (int trial = 0; trial < 3000; trial++) {
            StringBuilder sb = new StringBuilder("{\"data\": [");
            int rows = 1 + random.nextInt(6);
            for (int r = 0; r < rows; r++) {
                sb.append(r == 0 ? "[" : random.nextInt(3) == 0 ? " ,\t[" : ",[");
                int cols = random.nextInt(10) == 0 ? 2 : 3;
                for (int c = 0; c < cols; c++) {
                    sb.append(c == 0 ? "" : ",").append(random.nextGaussian() * 1000);
                }
                sb.append(']');
            }
            sb.append("]}");
            // Now and then a byte replaced or inserted: mostly not plain rows any more.
            if (random.nextBoolean()) {
                int at = random.nextInt(sb.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                if (random.nextBoolean()) {
                    sb.setCharAt(at, c);
                } else {
                    sb.insert(at, c);
                }
            }
            assertPartsAgree(sb.toString());
        }
    }
}
