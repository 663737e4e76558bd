package dev.scoria.server.http.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.inference.NamedTensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A large JSON request cut into parts of whole rows ({@link V2JsonScanner#layout}, {@link V2TensorDecoder#part}):
 * the parts' tensors, stacked, are the whole request's tensor bit for bit, however the rows and their numbers
 * are written; what cannot be cut so is not.
 */
class V2TensorPartsTest {

    /** A request of one input of {@code shape} whose data is {@code values} written flat with {@code separator}. */
    static String request(String id, long[] shape, String datatype, List<String> values, String separator) {
        return "{" + (id == null ? "" : "\"id\": \"" + id + "\", ") + "\"inputs\": [{\"name\": \"input\", \"shape\": "
                + Arrays.toString(shape) + ", \"datatype\": \"" + datatype + "\", \"data\": ["
                + String.join(separator, values) + "]}]}";
    }

    static List<String> numbers(int count, Random random) {
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(
                    switch (random.nextInt(4)) {
                        case 0 -> String.valueOf(random.nextGaussian() * 0.05);
                        case 1 -> String.valueOf(random.nextInt(1000) - 500);
                        case 2 -> String.format("%.3e", random.nextGaussian());
                        default -> String.valueOf((float) random.nextGaussian());
                    });
        }
        return values;
    }

    /** The parts' values, stacked, and the rows of each part. */
    static void assertPartsMakeTheWhole(String body, int parts, int expectedParts) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        NamedTensor whole = V2RequestReader.read(bytes, -1).inputs().get(0);
        V2JsonScanner.Layout layout = V2JsonScanner.layout(bytes, 0, bytes.length, parts);
        assertThat(layout).as(body).isNotNull();
        assertThat(layout.parts()).isEqualTo(expectedParts);
        List<String> stacked = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < layout.parts(); i++) {
            NamedTensor part = V2TensorDecoder.part(bytes, layout, i);
            assertThat(part.name()).isEqualTo(whole.name());
            assertThat(part.datatype()).isEqualTo(whole.datatype());
            assertThat(Arrays.copyOfRange(part.shape(), 1, part.shape().length))
                    .isEqualTo(Arrays.copyOfRange(whole.shape(), 1, whole.shape().length));
            assertThat(part.shape()[0]).isPositive();
            rows += part.shape()[0];
            stacked.addAll(V2JsonScannerTest.bits(part.data()));
        }
        assertThat(rows).isEqualTo(whole.shape()[0]);
        assertThat(stacked).isEqualTo(V2JsonScannerTest.bits(whole.data()));
    }

    @Test
    void partsOfWholeRowsStackToTheWholeTensorForEveryShapeAndSpacing() {
        Random random = new Random(7);
        long[][] shapes = {{3000, 10}, {2, 10}, {7, 1}, {100}, {9, 2, 3}, {1001, 3}, {64, 17}};
        String[] separators = {", ", ",", " ,\n  ", ",\t"};
        for (long[] shape : shapes) {
            long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            for (String separator : separators) {
                for (int parts : new int[] {2, 3, 8}) {
                    String body = request("r", shape, "FP64", numbers((int) count, random), separator);
                    assertPartsMakeTheWhole(body, parts, (int) Math.min(parts, shape[0]));
                }
            }
        }
        // Other numeric datatypes are typed by the same code as the whole input.
        assertPartsMakeTheWhole(request(null, new long[] {40, 5}, "FP32", numbers(200, random), ", "), 8, 8);
        List<String> integers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            integers.add(String.valueOf(random.nextInt(2_000_000) - 1_000_000));
        }
        assertPartsMakeTheWhole(request(null, new long[] {40, 5}, "INT64", integers, ","), 4, 4);
    }

    @Test
    void theLayoutKeepsTheRequestsIdAndSkipsToTheEndOfTheObject() {
        String body =
                request("req-7", new long[] {4, 2}, "FP64", List.of("1", "2", "3", "4", "5", "6", "7", "8"), ", ");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        V2JsonScanner.Layout layout = V2JsonScanner.layout(bytes, 0, bytes.length, 2);
        assertThat(layout.id()).isEqualTo("req-7");
        assertThat(new String(bytes, layout.partFrom(0), layout.partTo(0) - layout.partFrom(0), StandardCharsets.UTF_8))
                .isEqualTo("1, 2, 3, 4");
        assertThat(new String(bytes, layout.partFrom(1), layout.partTo(1) - layout.partFrom(1), StandardCharsets.UTF_8))
                .isEqualTo(" 5, 6, 7, 8");
        // The id after the inputs is read too.
        String idLast =
                "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 1], \"datatype\": \"FP64\", \"data\": [1, 2]}],"
                        + " \"id\": \"late\"}";
        byte[] late = idLast.getBytes(StandardCharsets.UTF_8);
        assertThat(V2JsonScanner.layout(late, 0, late.length, 2).id()).isEqualTo("late");
    }

    @Test
    void whatCannotBeCutIntoRowsIsLeftWholeOrFailsAPart() {
        String[] refused = {
            // nested rows: read whole
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 2], \"datatype\": \"FP64\", \"data\": [[1, 2], [3, 4]]}]}",
            // the shape after the data: the rows are not known while the data is passed over
            "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4], \"shape\": [2, 2]}]}",
            // fewer or more values than the shape holds
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 2], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 2], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4, 5]}]}",
            // one row
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4]}]}",
            // two inputs
            "{\"inputs\": [{\"name\": \"a\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [1, 2]},"
                    + " {\"name\": \"b\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [1, 2]}]}",
            // outputs asked for: the answer needs them, the fast scanner does not read them
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 1], \"datatype\": \"FP64\", \"data\": [1, 2]}],"
                    + " \"outputs\": [{\"name\": \"output\"}]}",
            // an unclosed list
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 1], \"datatype\": \"FP64\", \"data\": [1, 2",
            // a bracket, or a byte the bracket test takes for one, inside a string: not a list of numbers
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 2], \"datatype\": \"FP64\", \"data\": [1, \"]\", 3, 4]}]}",
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 2], \"datatype\": \"FP64\", \"data\": [1, \"Y_\", 3, 4]}]}",
            // a zero dimension
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 0], \"datatype\": \"FP64\", \"data\": []}]}",
        };
        for (String body : refused) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            V2JsonScanner.Layout layout = V2JsonScanner.layout(bytes, 0, bytes.length, 4);
            if (layout != null) {
                // Located but not plain: a part says so, and the request is read whole.
                assertThatThrownBy(() -> {
                            for (int i = 0; i < layout.parts(); i++) {
                                V2TensorDecoder.part(bytes, layout, i);
                            }
                        })
                        .as(body)
                        .hasMessageContaining("read whole");
            }
        }
    }

    @Test
    void aPartThatIsNotPlainNumbersFailsSoTheRequestIsReadWhole() {
        // Commas inside a string put the cut off the rows; the string itself is not a number.
        String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [4, 1], \"datatype\": \"FP64\","
                + " \"data\": [1, \"2,x\", 3]}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        V2JsonScanner.Layout layout = V2JsonScanner.layout(bytes, 0, bytes.length, 2);
        assertThat(layout).isNotNull();
        assertThatThrownBy(() -> {
                    for (int i = 0; i < layout.parts(); i++) {
                        V2TensorDecoder.part(bytes, layout, i);
                    }
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read whole");
    }

    @Test
    void aPartHoldingANumberBeyondADoublesRangeFailsAndTheWholeReadRefusesIt() {
        List<String> values = new ArrayList<>(numbers(40, new Random(3)));
        values.set(33, "1e999");
        String body = request(null, new long[] {20, 2}, "FP64", values, ", ");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        V2JsonScanner.Layout layout = V2JsonScanner.layout(bytes, 0, bytes.length, 4);
        assertThat(layout.parts()).isEqualTo(4);
        assertThatThrownBy(() -> V2TensorDecoder.part(bytes, layout, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read whole");
        assertThatThrownBy(() -> V2RequestReader.read(bytes, -1))
                .hasMessage("input 'input' data[33] is 1e999, beyond the range of a double (about ±1.8e308)");
    }
}
