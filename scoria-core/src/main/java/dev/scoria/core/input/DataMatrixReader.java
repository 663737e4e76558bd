package dev.scoria.core.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.scoria.core.JsonErrors;
import dev.scoria.core.ScoriaException;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Reads {@code {"data": [[x, x, ...], ...]}} into a {@link DenseMatrix} in one pass, checking the
 * shape as it goes so that a bad request is refused with the exact position of the problem.
 * Other top-level fields are ignored, as Azure ML's server ignores them.
 */
public final class DataMatrixReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final int expectedCols;
    private final long fixedRows;
    private final Supplier<String> inputDescription;

    /**
     * @param expectedCols the number of values every row must have, or -1 to take it from the first row
     * @param fixedRows the number of rows the model demands, or -1 when any number is accepted
     * @param inputDescription how to name the model's input in errors, e.g. {@code input 'input' [N, 10]}
     */
    public DataMatrixReader(int expectedCols, long fixedRows, String inputDescription) {
        this(expectedCols, fixedRows, () -> inputDescription);
    }

    /** As above, with the input's description made only when an error needs it (readers made per request). */
    public DataMatrixReader(int expectedCols, long fixedRows, Supplier<String> inputDescription) {
        this.expectedCols = expectedCols;
        this.fixedRows = fixedRows;
        this.inputDescription = inputDescription;
    }

    public DenseMatrix read(byte[] body) {
        return read(body, 0, body.length);
    }

    /** Reads {@code length} bytes of {@code body} from {@code offset}: a body where it lies, not copied. */
    public DenseMatrix read(byte[] body, int offset, int length) {
        DenseMatrix plain = DataRowsScanner.scan(body, offset, length, expectedCols, fixedRows);
        return plain != null ? plain : readTokens(body, offset, length);
    }

    /**
     * The rows of one part of a body cut by {@link DataRowsSplitter}, or null when the part is not plainly
     * rows of numbers of this reader's width: then read the whole body with {@link #read}, which judges it.
     * A model that demands a fixed number of rows is not read in parts.
     */
    public DenseMatrix readPart(byte[] body, RowsPart part) {
        if (fixedRows > 0) {
            return null;
        }
        return DataRowsScanner.scanPart(body, part.from(), part.to(), expectedCols, part.first(), part.last());
    }

    /** The general reader, which also says what is wrong with a body; {@link DataRowsScanner} agrees with it. */
    DenseMatrix readTokens(byte[] body, int offset, int length) {
        if (length == 0) {
            throw ScoriaException.badInput(
                    "request body is empty: expected a JSON object like {\"data\": [[...], ...]}");
        }
        try (JsonParser p = JSON.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ScoriaException.badInput(
                        "request body must be a JSON object with a \"data\" field, saw " + describe(p.currentToken()));
            }
            DenseMatrix matrix = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("data".equals(field)) {
                    if (matrix != null) {
                        throw ScoriaException.badInput("field \"data\" is given twice");
                    }
                    matrix = readRows(p);
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw ScoriaException.badInput("request body is not a complete JSON object");
            }
            if (p.nextToken() != null) {
                throw ScoriaException.badInput("request body has content after the JSON object");
            }
            if (matrix == null) {
                throw ScoriaException.badInput(
                        "field \"data\" is missing: expected {\"data\": [[...], ...]} with rows of " + colsText()
                                + " numbers");
            }
            return matrix;
        } catch (StreamConstraintsException e) {
            throw ScoriaException.badInput("request body exceeds a JSON limit: " + JsonErrors.describe(e));
        } catch (JsonParseException e) {
            throw ScoriaException.badInput("request body is not valid JSON: " + JsonErrors.describe(e));
        } catch (IOException e) {
            throw ScoriaException.badInput("request body could not be read as JSON: " + e.getMessage());
        }
    }

    private DenseMatrix readRows(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ScoriaException.badInput(
                    "field \"data\" must be an array of rows, saw " + describe(p.currentToken()));
        }
        int cols = expectedCols;
        double[] values = new double[cols > 0 ? cols * 4 : 64];
        int n = 0;
        int rows = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_ARRAY) {
                throw ScoriaException.badInput(
                        "data[" + rows + "] must be an array of " + colsText() + " numbers, saw " + describe(t)
                                + (t != null && t.isNumeric() ? " (send rows as [[...], ...], even for one row)" : ""));
            }
            int col = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw ScoriaException.badInput(
                            "data[" + rows + "][" + col + "] must be a number, saw " + describe(t));
                }
                if (cols > 0 && col >= cols) {
                    throw ScoriaException.badInput("data[" + rows + "] has more than " + cols + " values: "
                            + inputDescription.get() + " expects " + cols + " per row");
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                double value = p.getDoubleValue();
                if (Double.isInfinite(value)) {
                    // Scored, it would be an infinity; answered, the string "Infinity".
                    throw ScoriaException.badInput(
                            JsonNumberScanner.beyondDoubleRange("data[" + rows + "][" + col + "]", p.getText()));
                }
                values[n++] = value;
                col++;
            }
            if (cols < 0) {
                if (col == 0) {
                    throw ScoriaException.badInput("data[0] is empty: expected at least one value per row");
                }
                cols = col;
            } else if (col != cols) {
                throw ScoriaException.badInput("data[" + rows + "] has " + col + " values: " + inputDescription.get()
                        + " expects " + cols + " per row");
            }
            rows++;
        }
        if (rows == 0) {
            throw ScoriaException.badInput(
                    "field \"data\" has no rows: expected at least one row of " + colsText() + " numbers");
        }
        if (fixedRows > 0 && rows != fixedRows) {
            throw ScoriaException.badInput(
                    "data has " + rows + " rows: " + inputDescription.get() + " expects exactly " + fixedRows);
        }
        return new DenseMatrix(values, rows, cols);
    }

    private String colsText() {
        return expectedCols > 0 ? String.valueOf(expectedCols) : "k";
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
