package dev.scoria.server.http.v2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.scoria.core.JsonErrors;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.scorer.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an Open Inference Protocol inference request in one streaming pass, without building a JSON
 * tree: {@code {"id"?, "parameters"?, "inputs": [{"name", "shape", "datatype", "parameters"?, "data"}],
 * "outputs"?: [{"name", "parameters"?}]}}. {@code data} may be flat or nested (row-major either way).
 * With the binary tensor extension the JSON is the first {@code Inference-Header-Content-Length} bytes
 * and an input with {@code "binary_data_size"} takes its values, little-endian, from the bytes after it,
 * in input order. Every error names the input and what was expected.
 */
final class V2RequestReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    /** Far more elements than any body within the size limit can hold: a shape claiming more is a lie. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private V2RequestReader() {}

    /**
     * @param headerLength the JSON part's length (the {@code Inference-Header-Content-Length} header), or -1
     *     when the whole body is JSON
     */
    static V2Request read(byte[] body, int headerLength) {
        return read(body, 0, body.length, headerLength);
    }

    /** Reads {@code length} bytes of {@code body} from {@code start}: a body where it lies, not copied. */
    static V2Request read(byte[] body, int start, int length, int headerLength) {
        checkLengths(length, headerLength);
        if (headerLength < 0) {
            V2JsonScanner.Parsed plain = V2JsonScanner.scan(body, start, length);
            if (plain != null) {
                return new V2Request(
                        plain.id(),
                        tensors(plain.inputs(), body, start + length, start + length, false),
                        List.of(),
                        Set.of(),
                        false);
            }
        }
        return readTokens(body, start, length, headerLength);
    }

    /** The general reader, which also says what is wrong with a request; {@link V2JsonScanner} agrees with it. */
    static V2Request readTokens(byte[] body, int start, int length, int headerLength) {
        checkLengths(length, headerLength);
        int jsonLength = headerLength < 0 ? length : headerLength;
        List<RawInput> inputs = null;
        List<String> outputs = new ArrayList<>();
        Set<String> binaryOutputs = new HashSet<>();
        boolean allBinary = false;
        String id = null;
        try (JsonParser p = JSON.createParser(body, start, jsonLength)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ScoriaException.badInput("the inference request must be a JSON object with \"inputs\", saw "
                        + describe(p.currentToken()));
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw ScoriaException.badInput("\"id\" must be a string, saw " + describe(value));
                        }
                        id = p.getText();
                    }
                    case "parameters" -> allBinary = readParameters(p, "parameters").binaryDataOutput;
                    case "inputs" -> inputs = readInputs(p, jsonLength);
                    case "outputs" -> readOutputs(p, outputs, binaryOutputs);
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw ScoriaException.badInput("the inference request is not a complete JSON object");
            }
            if (p.nextToken() != null) {
                throw ScoriaException.badInput("the inference request has content after its JSON object"
                        + (headerLength < 0
                                ? " (binary tensor data needs the Inference-Header-Content-Length header)"
                                : ""));
            }
        } catch (StreamConstraintsException e) {
            throw ScoriaException.badInput("the inference request exceeds a JSON limit: " + JsonErrors.describe(e));
        } catch (JsonParseException e) {
            throw ScoriaException.badInput("the inference request is not valid JSON: " + JsonErrors.describe(e));
        } catch (IOException e) {
            throw ScoriaException.badInput("the inference request could not be read as JSON: " + e.getMessage());
        }
        if (inputs == null) {
            throw ScoriaException.badInput(
                    "\"inputs\" is missing: expected a list of {\"name\", \"shape\", \"datatype\", \"data\"}");
        }
        return new V2Request(
                id,
                tensors(inputs, body, start + jsonLength, start + length, headerLength >= 0),
                outputs,
                binaryOutputs,
                allBinary);
    }

    private static void checkLengths(int length, int headerLength) {
        if (length == 0) {
            throw ScoriaException.badInput("request body is empty: expected an inference request {\"inputs\": [...]}");
        }
        if (headerLength > length) {
            throw ScoriaException.badInput("Inference-Header-Content-Length is " + headerLength
                    + " but the body has only " + length + " bytes");
        }
    }

    /** An input as read, before its values are typed (its datatype may come after its data). */
    static final class RawInput {
        String name;
        long[] shape;
        String datatype;
        long binarySize = -1;
        Values values;
    }

    /**
     * How many values a shape says its data holds, to size the array they are read into: never more than
     * the rest of the JSON could hold (each value takes at least two bytes), so a shape that lies costs no
     * memory; 0 when the shape has not come yet (then the array grows as values arrive).
     */
    static int expectedCount(long[] shape, long offset, int jsonEnd) {
        if (shape == null) {
            return 0;
        }
        long room = Math.max(0, (jsonEnd - offset) / 2);
        long count = 1;
        for (long d : shape) {
            if (d == 0) {
                return 0;
            }
            // Compared before multiplying: a product past 2^63 would wrap around to a small count.
            if (count > room / d) {
                return (int) room;
            }
            count *= d;
        }
        return (int) count;
    }

    private record Parameters(boolean binaryData, boolean binaryDataOutput, long binaryDataSize) {}

    private static List<RawInput> readInputs(JsonParser p, int jsonEnd) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ScoriaException.badInput("\"inputs\" must be a list of tensors, saw " + describe(p.currentToken()));
        }
        List<RawInput> inputs = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String where = "inputs[" + inputs.size() + "]";
            if (t != JsonToken.START_OBJECT) {
                throw ScoriaException.badInput(
                        where + " must be an object {\"name\", \"shape\", \"datatype\", \"data\"}, saw " + describe(t));
            }
            RawInput input = new RawInput();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "name" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw ScoriaException.badInput(where + ".name must be a string, saw " + describe(value));
                        }
                        input.name = p.getText();
                    }
                    case "datatype" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw ScoriaException.badInput(
                                    where + ".datatype must be a string, saw " + describe(value));
                        }
                        input.datatype = p.getText();
                    }
                    case "shape" -> input.shape = readShape(p, where);
                    case "parameters" -> input.binarySize = readParameters(p, where + ".parameters").binaryDataSize;
                    case "data" ->
                        input.values = Values.read(
                                p,
                                input.name != null ? "input '" + input.name + "'" : where,
                                expectedCount(input.shape, p.currentLocation().getByteOffset(), jsonEnd));
                    default -> p.skipChildren();
                }
            }
            if (input.name == null) {
                throw ScoriaException.badInput(where + ".name is missing");
            }
            inputs.add(input);
        }
        return inputs;
    }

    private static long[] readShape(JsonParser p, String where) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ScoriaException.badInput(
                    where + ".shape must be a list of dimensions, saw " + describe(p.currentToken()));
        }
        long[] shape = new long[4];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw ScoriaException.badInput(where + ".shape[" + n + "] must be a whole number, saw " + describe(t));
            }
            long d;
            try {
                d = p.getLongValue();
            } catch (InputCoercionException e) {
                throw ScoriaException.badInput(where + ".shape[" + n + "] is " + p.getText()
                        + ": too large for a dimension (at most " + Long.MAX_VALUE + ")");
            }
            if (d < 0) {
                throw ScoriaException.badInput(where + ".shape[" + n + "] is " + p.getText()
                        + ": dimensions of a request are sizes," + " 0 or more");
            }
            if (n == shape.length) {
                if (n == 64) {
                    throw ScoriaException.badInput(where + ".shape has more than 64 dimensions");
                }
                shape = Arrays.copyOf(shape, n * 2);
            }
            shape[n++] = d;
        }
        return Arrays.copyOf(shape, n);
    }

    private static Parameters readParameters(JsonParser p, String where) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw ScoriaException.badInput(where + " must be an object, saw " + describe(p.currentToken()));
        }
        boolean binaryData = false;
        boolean binaryDataOutput = false;
        long binaryDataSize = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "binary_data" -> binaryData = bool(p, value, where + ".binary_data");
                case "binary_data_output" -> binaryDataOutput = bool(p, value, where + ".binary_data_output");
                case "binary_data_size" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                        throw ScoriaException.badInput(where + ".binary_data_size must be a byte count (a whole"
                                + " number, 0 or more), saw "
                                + (value == JsonToken.VALUE_NUMBER_INT ? p.getText() : describe(value)));
                    }
                    binaryDataSize = p.getLongValue();
                }
                default -> p.skipChildren();
            }
        }
        return new Parameters(binaryData, binaryDataOutput, binaryDataSize);
    }

    private static boolean bool(JsonParser p, JsonToken value, String where) throws IOException {
        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw ScoriaException.badInput(where + " must be true or false, saw " + describe(value));
        }
        return value == JsonToken.VALUE_TRUE;
    }

    private static void readOutputs(JsonParser p, List<String> outputs, Set<String> binary) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ScoriaException.badInput(
                    "\"outputs\" must be a list of {\"name\"}, saw " + describe(p.currentToken()));
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String where = "outputs[" + outputs.size() + "]";
            if (t != JsonToken.START_OBJECT) {
                throw ScoriaException.badInput(where + " must be an object {\"name\"}, saw " + describe(t));
            }
            String name = null;
            boolean binaryData = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("name")) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw ScoriaException.badInput(where + ".name must be a string, saw " + describe(value));
                    }
                    name = p.getText();
                } else if (field.equals("parameters")) {
                    binaryData = readParameters(p, where + ".parameters").binaryData;
                } else {
                    p.skipChildren();
                }
            }
            if (name == null) {
                throw ScoriaException.badInput(where + ".name is missing");
            }
            outputs.add(name);
            if (binaryData) {
                binary.add(name);
            }
        }
    }

    /** One input of a JSON request typed and checked as {@link #read} types and checks each. */
    static NamedTensor jsonTensor(RawInput input) {
        return tensors(List.of(input), null, 0, 0, false).get(0);
    }

    /** Types every input's values by its datatype, checking them against its shape. */
    private static List<NamedTensor> tensors(
            List<RawInput> inputs, byte[] body, int binaryStart, int end, boolean binaryExtension) {
        List<NamedTensor> tensors = new ArrayList<>(inputs.size());
        // Most requests have one input: nothing to compare its name with.
        Set<String> seen = inputs.size() > 1 ? new HashSet<>() : null;
        int offset = binaryStart;
        for (RawInput input : inputs) {
            String what = "input '" + input.name + "'";
            if (seen != null && !seen.add(input.name)) {
                throw ScoriaException.badInput(what + " is given twice");
            }
            if (input.shape == null) {
                throw ScoriaException.badInput(what + " has no \"shape\"");
            }
            Datatype datatype = Datatype.parse(input.datatype, what + " datatype");
            long count = elementCount(input.shape, what);
            Object data;
            if (input.binarySize >= 0) {
                if (!binaryExtension) {
                    throw ScoriaException.badInput(what + " has binary_data_size but the request has no"
                            + " Inference-Header-Content-Length header");
                }
                if (input.values != null) {
                    throw ScoriaException.badInput(
                            what + " has both \"data\" and binary_data_size: expected one of them");
                }
                if (input.binarySize > end - offset) {
                    throw ScoriaException.badInput(what + " has binary_data_size " + input.binarySize + " but only "
                            + (end - offset) + " bytes of binary data are left in the body");
                }
                data = BinaryTensors.decode(body, offset, (int) input.binarySize, datatype, (int) count, what);
                offset += (int) input.binarySize;
            } else {
                if (input.values == null) {
                    throw ScoriaException.badInput(what + " has no \"data\"");
                }
                if (input.values.size() != count) {
                    throw ScoriaException.badInput(what + " has " + input.values.size() + " values: shape "
                            + Arrays.toString(input.shape) + " holds " + count);
                }
                data = input.values.as(datatype, what);
            }
            tensors.add(new NamedTensor(input.name, datatype, new Tensor(input.shape, data)));
        }
        if (binaryExtension && offset != end) {
            throw ScoriaException.badInput("the body has " + (end - offset) + " bytes of binary data that no input's"
                    + " binary_data_size accounts for");
        }
        return tensors;
    }

    /**
     * How many values {@code shape} holds, refused past {@link #MAX_ELEMENTS}. Checked before each
     * multiplication: a shape such as [3, 6148914691236517206] would otherwise wrap around 2^64 to 2 and
     * pass as a two-value tensor.
     */
    private static long elementCount(long[] shape, String what) {
        for (long d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        long count = 1;
        for (long d : shape) {
            if (count > MAX_ELEMENTS / d) {
                throw ScoriaException.badInput(what + " has shape " + Arrays.toString(shape)
                        + ": more elements than a request can carry (at most " + MAX_ELEMENTS + ")");
            }
            count *= d;
        }
        return count;
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    /** Decodes UTF-8 strictly: a BYTES element that is not text is refused rather than mangled. */
    static String utf8(byte[] bytes, int offset, int length, String what) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ScoriaException.badInput(what + " has a BYTES element that is not UTF-8 text");
        }
    }
}
