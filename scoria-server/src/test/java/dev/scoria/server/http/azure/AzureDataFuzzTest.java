package dev.scoria.server.http.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorSpec;
import dev.scoria.core.input.DataMatrixReader;
import dev.scoria.core.input.DenseMatrix;
import dev.scoria.server.http.BodyBytes;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * {@code {"data": [[...]]}} typed as a model's input. The input's first byte picks the model's datatype,
 * the second its columns (0: any), the rest is the body. Whatever the body, the reader refuses it as bad
 * input or answers every value exactly as sent (whole numbers within the datatype's range for an integer
 * type: nothing clamped, wrapped or rounded).
 */
class AzureDataFuzzTest {

    private static final Datatype[] NUMERIC =
            Arrays.stream(Datatype.values()).filter(Datatype::isNumeric).toArray(Datatype[]::new);

    @FuzzTest
    void refusesOrTypesExactly(byte[] input) {
        if (input.length < 2) {
            return;
        }
        Datatype datatype = NUMERIC[(input[0] & 0xFF) % NUMERIC.length];
        int cols = input[1] % 5 <= 0 ? -1 : input[1] % 5;
        byte[] body = Arrays.copyOfRange(input, 2, input.length);
        NamedTensor tensor;
        try {
            // Read where it lies, inside a larger array, as the server reads a request's buffer.
            byte[] padded = new byte[body.length + 5];
            System.arraycopy(body, 0, padded, 3, body.length);
            tensor = AzureRequests.readData(
                    new BodyBytes(padded, 3, body.length),
                    List.of(new TensorSpec("x", datatype, new long[] {-1, cols})));
        } catch (ScoriaException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.BAD_INPUT);
            return;
        }
        DenseMatrix sent = new DataMatrixReader(cols, -1, "x").read(body);
        assertThat(tensor.shape()).containsExactly(sent.rows(), sent.cols());
        for (int i = 0; i < tensor.size(); i++) {
            double value = sent.values()[i];
            Object typed = Array.get(tensor.data(), i);
            if (datatype == Datatype.FP64) {
                assertThat((double) typed).isEqualTo(value);
            } else if (datatype.isFloatingPoint()) {
                assertThat((float) typed).isEqualTo((float) value);
            } else {
                long whole = ((Number) typed).longValue();
                assertThat(new BigDecimal(whole))
                        .as("data[%d] is %s, typed %s as %s", i, value, whole, datatype)
                        .isEqualByComparingTo(new BigDecimal(value));
                assertThat(whole).isBetween(min(datatype), max(datatype));
            }
        }
    }

    private static long min(Datatype t) {
        return switch (t) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    private static long max(Datatype t) {
        return switch (t) {
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case UINT8 -> 255;
            case UINT16 -> 65_535;
            case UINT32 -> 4_294_967_295L;
            default -> Long.MAX_VALUE;
        };
    }
}
