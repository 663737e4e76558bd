package dev.scoria.core.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import java.io.IOException;

/**
 * The {@code {"data": [[...], ...]}} reader against Jackson: on every body it either returns exactly the
 * matrix Jackson's tree holds (same shape, same doubles bit for bit) or refuses it as bad input — and it
 * refuses exactly the bodies that are not such a matrix. Any other exception is a bug.
 */
class DataMatrixReaderFuzzTest {

    private static final ObjectReader JACKSON =
            new ObjectMapper().readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory STREAM = new JsonFactory();

    @FuzzTest
    void agreesWithJackson(byte[] body) {
        check(body, -1);
        check(body, 2);
    }

    private static void check(byte[] body, int expectedCols) {
        double[][] expected = jacksonMatrix(body, expectedCols);
        DenseMatrix read;
        try {
            read = new DataMatrixReader(expectedCols, -1, "input 'x'").read(body);
        } catch (ScoriaException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.BAD_INPUT);
            if (expected != null) {
                fail("refused a body Jackson reads as a matrix: " + e.getMessage());
            }
            return;
        }
        if (expected == null) {
            fail("accepted a body that is not {\"data\": <matrix>} to Jackson");
        }
        assertThat(read.rows()).isEqualTo(expected.length);
        assertThat(read.cols()).isEqualTo(expected[0].length);
        for (int r = 0; r < read.rows(); r++) {
            for (int c = 0; c < read.cols(); c++) {
                double got = read.values()[r * read.cols() + c];
                if (Double.compare(got, expected[r][c]) != 0) {
                    fail("data[" + r + "][" + c + "] read as " + got + ", Jackson reads " + expected[r][c]);
                }
            }
        }
    }

    /** The matrix as Jackson sees it, or null when the body is not one. */
    private static double[][] jacksonMatrix(byte[] body, int expectedCols) {
        JsonNode root;
        try {
            root = JACKSON.readValue(body);
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isObject() || dataFields(body) != 1) {
            return null;
        }
        JsonNode data = root.get("data");
        if (!data.isArray() || data.isEmpty()) {
            return null;
        }
        int cols = expectedCols > 0 ? expectedCols : data.get(0).size();
        double[][] matrix = new double[data.size()][];
        for (int r = 0; r < data.size(); r++) {
            JsonNode row = data.get(r);
            if (!row.isArray() || row.isEmpty() || row.size() != cols) {
                return null;
            }
            matrix[r] = new double[cols];
            for (int c = 0; c < cols; c++) {
                if (!row.get(c).isNumber()) {
                    return null;
                }
                matrix[r][c] = row.get(c).doubleValue();
            }
        }
        return matrix;
    }

    /** How many top-level "data" fields the body has: Jackson's tree keeps only the last of duplicates. */
    private static int dataFields(byte[] body) {
        try (JsonParser p = STREAM.createParser(body)) {
            p.nextToken();
            int count = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (p.currentName().equals("data")) {
                    count++;
                }
                p.nextToken();
                p.skipChildren();
            }
            return count;
        } catch (IOException e) {
            throw new IllegalStateException("Jackson read the body as a tree but not as a stream", e);
        }
    }
}
