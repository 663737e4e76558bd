package dev.scoria.server.http.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.NamedTensor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol request reader on its own: typing, exactness and limits. */
class V2RequestReaderTest {

    static V2Request read(String json) {
        return V2RequestReader.read(json.getBytes(StandardCharsets.UTF_8), -1);
    }

    static NamedTensor only(String shape, String datatype, String data) {
        return read("{\"inputs\": [{\"name\": \"x\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
                        + "\", \"data\": " + data + "}]}")
                .inputs()
                .get(0);
    }

    @Test
    void wholeNumbersBeyondWhatADoubleHoldsStayExact() {
        NamedTensor t = only("[3]", "INT64", "[9007199254740993, -9223372036854775808, 1]");
        assertThat((long[]) t.data()).containsExactly(9007199254740993L, Long.MIN_VALUE, 1L);
        // Fields may come in any order: data before shape and datatype.
        NamedTensor late = read("{\"inputs\": [{\"data\": [[1, 2], [3, 9007199254740993]], \"name\": \"x\","
                        + " \"datatype\": \"INT64\", \"shape\": [2, 2]}]}")
                .inputs()
                .get(0);
        assertThat((long[]) late.data()).containsExactly(1L, 2L, 3L, 9007199254740993L);
    }

    @Test
    void valuesAreTypedByTheirDatatypeAndCheckedAgainstIt() {
        assertThat((float[]) only("[2]", "FP32", "[0.5, 2]").data()).containsExactly(0.5f, 2f);
        assertThat((int[]) only("[2]", "UINT8", "[0, 255]").data()).containsExactly(0, 255);
        assertThat((boolean[]) only("[2]", "BOOL", "[true, false]").data()).containsExactly(true, false);
        assertThat((String[]) only("[1]", "BYTES", "[\"a\"]").data()).containsExactly("a");
        assertThat(only("[2]", "FP64", "[1, 2]").datatype()).isEqualTo(Datatype.FP64);
        assertThatThrownBy(() -> only("[1]", "UINT8", "[256]"))
                .hasMessage("input 'x' data[0] is 256: out of range for UINT8");
        assertThatThrownBy(() -> only("[1]", "INT32", "[1.5]"))
                .hasMessage("input 'x' is INT32 but its data has numbers that are not whole");
        assertThatThrownBy(() -> only("[1]", "BOOL", "[1]"))
                .hasMessage("input 'x' is BOOL but its data holds numbers: expected booleans");
    }

    @Test
    void numbersBeyondTheirTypesRangeAreRefusedNotReadAsInfinity() {
        assertThatThrownBy(() -> only("[3]", "FP64", "[1, 1e999, 2]"))
                .hasMessage("input 'x' data[1] is 1e999, beyond the range of a double (about ±1.8e308)");
        assertThatThrownBy(() -> only("[2, 1]", "FP64", "[[1], [-2.5e308]]"))
                .hasMessage("input 'x' data[1] is -2.5e308, beyond the range of a double (about ±1.8e308)");
        // An integer too long for a long is read as a double: beyond its range too.
        assertThatThrownBy(() -> only("[1]", "FP64", "[" + "9".repeat(400) + "]"))
                .hasMessage("input 'x' data[0] is " + "9".repeat(24)
                        + "... (400 characters), beyond the range of a double (about ±1.8e308)");
        // With "parameters" only the general reader reads the request.
        assertThatThrownBy(() -> read("{\"inputs\": [{\"name\": \"x\", \"data\": [1e999], \"datatype\": \"FP64\","
                        + " \"shape\": [1]}], \"parameters\": {}}"))
                .hasMessage("input 'x' data[0] is 1e999, beyond the range of a double (about ±1.8e308)");
        assertThatThrownBy(() -> only("[2]", "FP32", "[1, 1e39]"))
                .hasMessage(
                        "input 'x' data[1] is 1.0E39, beyond the range of a float (about ±3.4e38): the input is FP32");
        assertThat((float[])
                        only("[2]", "FP32", "[3.4028235e38, -3.4028235e38]").data())
                .containsExactly(Float.MAX_VALUE, -Float.MAX_VALUE);
        assertThat((double[])
                        only("[2]", "FP64", "[1.7976931348623157e308, 1e-999]").data())
                .containsExactly(Double.MAX_VALUE, 0.0);
    }

    @Test
    void aShapeThatLiesAboutItsSizeCostsNoMemoryAndIsRefused() {
        // Two billion values claimed, one sent: the reader sizes by what the body could hold, then refuses.
        assertThatThrownBy(() -> only("[2000000000]", "FP64", "[1]"))
                .hasMessage("input 'x' has 1 values: shape [2000000000] holds 2000000000");
        assertThatThrownBy(() -> only("[4611686018427387904, 4]", "FP64", "[1]"))
                .hasMessageContaining("more elements than a request can carry");
    }
}
