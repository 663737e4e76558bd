package dev.scoria.server.http.v2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.NamedTensor;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The v2 JSON reader's fast path over the bytes and its Jackson path agree on every body, valid or not:
 * the same tensors, bit for bit, or the same error.
 */
class V2JsonScannerTest {

    /** What a reader makes of a body: the request in full, or its error message. */
    static String outcome(byte[] body, boolean jacksonOnly) {
        try {
            V2Request r =
                    jacksonOnly ? V2RequestReader.readTokens(body, 0, body.length, -1) : V2RequestReader.read(body, -1);
            StringBuilder sb = new StringBuilder(
                    "id=" + r.id() + " outputs=" + r.outputs() + " binary=" + r.binaryOutputs() + " " + r.allBinary());
            for (NamedTensor t : r.inputs()) {
                sb.append(" | ")
                        .append(t.name())
                        .append(' ')
                        .append(t.datatype())
                        .append(' ')
                        .append(Arrays.toString(t.shape()))
                        .append(' ');
                sb.append(bits(t.data()));
            }
            return sb.toString();
        } catch (ScoriaException e) {
            return "error: " + e.getMessage();
        }
    }

    /** A tensor's values as text that tells apart every double and float bit pattern (-0.0 from 0.0, NaNs). */
    static List<String> bits(Object data) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < Array.getLength(data); i++) {
            Object v = Array.get(data, i);
            values.add(
                    v instanceof Double d
                            ? Long.toHexString(Double.doubleToRawLongBits(d))
                            : v instanceof Float f
                                    ? Integer.toHexString(Float.floatToRawIntBits(f))
                                    : String.valueOf(v));
        }
        return values;
    }

    static void assertAgree(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(outcome(bytes, false)).as(body).isEqualTo(outcome(bytes, true));
    }

    static boolean fast(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return V2JsonScanner.scan(bytes, 0, bytes.length) != null;
    }

    @Test
    void theCommonRequestIsReadByTheFastPath() {
        String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP64\","
                + " \"data\": [0.0380759064334241, -1e-3, 2]}]}";
        assertThat(fast(body)).isTrue();
        assertAgree(body);
        assertThat(
                        fast(
                                "{\"id\": \"a\", \"inputs\": [{\"data\": [[1, 2]], \"shape\": [1, 2], \"name\": \"x\","
                                        + " \"datatype\": \"INT64\"}, {\"name\": \"y\", \"shape\": [], \"datatype\": \"FP32\", \"data\": 5}]}"))
                .isTrue();
    }

    /** Inputs of the sizes given, each value telling its input and place; the shape after the data when asked. */
    private static String inputs(int[] sizes, boolean shapeFirst, int seed) {
        StringBuilder body = new StringBuilder("{\"inputs\": [");
        for (int k = 0; k < sizes.length; k++) {
            StringBuilder data = new StringBuilder("[");
            for (int i = 0; i < sizes[k]; i++) {
                data.append(i > 0 ? ", " : "").append(seed * 1e7 + k * 1e6 + i + 0.5);
            }
            data.append(']');
            String shape = "\"shape\": [" + sizes[k] + "]";
            body.append(k > 0 ? ", " : "")
                    .append("{\"name\": \"x")
                    .append(k)
                    .append("\", ")
                    .append(shapeFirst ? shape + ", \"data\": " + data : "\"data\": " + data + ", " + shape)
                    .append(", \"datatype\": \"FP64\"}");
        }
        return body.append("]}").toString();
    }

    @Test
    void eachInputKeepsItsOwnValuesWhereverTheyWereRead() {
        // Data before its shape is read into the thread's scratch array (a large one into its own) and copied
        // out; data after its shape into an array of the shape's size. The next input and the next request
        // read into the same scratch: what was read before must not change.
        int[] sizes = {3, 5000, 40_000, 2, 0, 1};
        List<V2Request> requests = new ArrayList<>();
        for (int seed = 0; seed < 4; seed++) {
            String body = inputs(sizes, seed % 2 == 0, seed);
            assertThat(fast(body)).isTrue();
            assertAgree(body);
            requests.add(V2RequestReader.read(body.getBytes(StandardCharsets.UTF_8), -1));
        }
        for (int seed = 0; seed < requests.size(); seed++) {
            List<NamedTensor> read = requests.get(seed).inputs();
            for (int k = 0; k < sizes.length; k++) {
                double[] values = (double[]) read.get(k).data();
                assertThat(values).hasSize(sizes[k]);
                for (int i = 0; i < sizes[k]; i++) {
                    assertThat(values[i]).isEqualTo(seed * 1e7 + k * 1e6 + i + 0.5);
                }
            }
        }
    }

    @Test
    void everyOtherShapeGetsTheSameAnswerAsTheGeneralReader() {
        String in = "{\"name\": \"x\", \"shape\": [2], \"datatype\": \"%s\", \"data\": %s}";
        List<String> bodies = new ArrayList<>(
                List.of(
                        "{}",
                        "{\"inputs\": []}",
                        "{\"inputs\": [], \"inputs\": []}",
                        "{\"id\": 1, \"inputs\": []}",
                        "{\"id\": \"a\", \"id\": \"b\", \"inputs\": []}",
                        "{\"id\": \"caf\u00e9\", \"inputs\": []}",
                        "{\"id\": \"a\\\"b\", \"inputs\": []}",
                        "{\"inputs\": [{}]}",
                        "{\"inputs\": [{\"name\": \"x\"}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"name\": \"y\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]},"
                                + " {\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}], \"outputs\": []}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]} x",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]},]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [-1], \"datatype\": \"FP64\", \"data\": [1]}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [-0, 1], \"datatype\": \"FP64\", \"data\": []}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1.0], \"datatype\": \"FP64\", \"data\": [1]}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [99999999999999999999], \"datatype\": \"FP64\", \"data\": [1]}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1,], \"datatype\": \"FP64\", \"data\": [1]}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [], \"datatype\": \"FP64\", \"data\": 7}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [0], \"datatype\": \"FP64\", \"data\": []}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1], \"parameters\": {}}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1], \"extra\": 1}]}",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}], \"extra\": [1]}",
                        " \n\t{ \"inputs\" :\r\n [ { \"name\" : \"x\" , \"shape\" : [ 2 ] , \"datatype\" : \"FP64\" , \"data\" : [ 1 , 2 ] } ] } \n"));
        for (String type : List.of("FP64", "FP32", "FP16", "INT64", "INT32", "UINT8", "BOOL", "BYTES", "NOPE")) {
            for (String data : List.of(
                    "[1, 2]",
                    "[-0, 0]",
                    "[-0.0, 1e2]",
                    "[1.5, 2]",
                    "[[1], [2]]",
                    "[[1, 2]]",
                    "[[[1]], [[2]]]",
                    "[1]",
                    "[1, 2, 3]",
                    "[]",
                    "[[]]",
                    "[[], [1, 2]]",
                    "[1,, 2]",
                    "[, 1, 2]",
                    "[1, 2,]",
                    "[1 2]",
                    "[[1, 2]",
                    "[1, 2]]",
                    "[01, 2]",
                    "[+1, 2]",
                    "[1., 2]",
                    "[.5, 2]",
                    "[1e, 2]",
                    "[NaN, 2]",
                    "[1e999, -1e999]",
                    "[256, -1]",
                    "[9007199254740993, 1]",
                    "[123456789012345, 1234567890123456]",
                    "[-9223372036854775808, 9223372036854775808]",
                    "[true, false]",
                    "[\"a\", \"b\"]",
                    "[1, true]",
                    "[null, 1]",
                    "[{}, 1]",
                    "1",
                    "\"a\"",
                    "null",
                    "[" + "1".repeat(1001) + ", 2]",
                    "[0.30000000000000004, 2.2250738585072011e-308]")) {
                bodies.add("{\"inputs\": [" + String.format(in, type, data) + "]}");
            }
        }
        for (String body : bodies) {
            assertAgree(body);
        }
    }

    @Test
    void randomRequestsAgreeWithTheGeneralReader() {
        Random random = new Random(20261206);
        String alphabet = "[[]],,,  \n0123456789.-e\"x:{}";
        for (int trial = 0; trial < 3000; trial++) {
            int n = 1 + random.nextInt(6);
            StringBuilder data = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                data.append(i == 0 ? "" : ", ").append(number(random));
            }
            String type = List.of("FP64", "FP32", "INT64", "INT8").get(random.nextInt(4));
            StringBuilder body = new StringBuilder("{\"inputs\": [{\"name\": \"x\", \"shape\": [" + n
                    + "], \"datatype\": \"" + type + "\", \"data\": " + data + "]}]}");
            if (random.nextBoolean()) {
                int at = random.nextInt(body.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                if (random.nextBoolean()) {
                    body.setCharAt(at, c);
                } else {
                    body.insert(at, c);
                }
            }
            assertAgree(body.toString());
        }
    }

    private static String number(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> String.valueOf(random.nextInt(2_000_000) - 1_000_000);
            case 1 -> String.valueOf(random.nextGaussian());
            case 2 -> String.valueOf(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 3 ->
                (random.nextBoolean() ? "-" : "") + random.nextInt(10) + "." + random.nextInt(1_000_000) + "e"
                        + (random.nextBoolean() ? "+" : "-") + random.nextInt(300);
            case 4 -> String.valueOf(random.nextLong() >> random.nextInt(64));
            default -> "-0";
        };
    }
}
