package dev.scoria.core.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.scoria.scorer.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The answer's numbers written straight to bytes are the generator's, byte for byte. */
class TensorJsonTest {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    static String generator(NamedTensor tensor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            TensorJson.writeNested(out, tensor, true);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Both forms of the direct text, which must agree: the exact array and the text where it was written. */
    static String direct(NamedTensor tensor) {
        byte[] bytes = TensorJson.nestedNumbers(tensor);
        TensorJson.Ascii text = TensorJson.nestedNumberText(tensor);
        if (bytes == null) {
            assertThat(text).isNull();
            return null;
        }
        assertThat(text.bytes().length).isGreaterThanOrEqualTo(text.length());
        assertThat(new String(text.bytes(), 0, text.length(), StandardCharsets.US_ASCII))
                .isEqualTo(new String(bytes, StandardCharsets.US_ASCII));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void randomDoublesAndFloatsInEveryShapeReadAsTheGeneratorWritesThem() throws IOException {
        Random random = new Random(29);
        List<long[]> shapes = List.of(
                new long[] {},
                new long[] {0},
                new long[] {1},
                new long[] {7},
                new long[] {3, 1},
                new long[] {2, 3},
                new long[] {2, 0},
                new long[] {2, 2, 3},
                new long[] {1000});
        for (int round = 0; round < 400; round++) {
            for (long[] shape : shapes) {
                int n = 1;
                for (long d : shape) {
                    n *= (int) d;
                }
                double[] doubles = new double[n];
                float[] floats = new float[n];
                for (int i = 0; i < n; i++) {
                    doubles[i] = switch ((round + i) % 5) {
                        case 0 -> Double.longBitsToDouble(random.nextLong());
                        case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                        case 2 -> random.nextInt(2000) - 1000;
                        case 3 -> random.nextBoolean() ? -0.0 : Double.MIN_VALUE * random.nextInt(10);
                        default -> 217.67978776218715 + random.nextGaussian();
                    };
                    if (!Double.isFinite(doubles[i])) {
                        doubles[i] = random.nextDouble();
                    }
                    floats[i] = Float.intBitsToFloat(random.nextInt());
                    if (!Float.isFinite(floats[i])) {
                        floats[i] = random.nextFloat();
                    }
                }
                for (Object data : List.of(doubles, floats)) {
                    NamedTensor tensor = NamedTensor.of("y", new Tensor(shape, data));
                    assertThat(direct(tensor)).isEqualTo(generator(tensor));
                }
            }
        }
    }

    @Test
    void nonFiniteValuesAndOtherTypesAreLeftToTheGenerator() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThat(TensorJson.nestedNumbers(
                            NamedTensor.of("y", new Tensor(new long[] {3}, new double[] {1, bad, 2}))))
                    .isNull();
            assertThat(TensorJson.nestedNumbers(NamedTensor.of("y", new Tensor(new long[] {}, new double[] {bad}))))
                    .isNull();
        }
        assertThat(TensorJson.nestedNumbers(NamedTensor.of("y", new Tensor(new long[] {2}, new long[] {1, 2}))))
                .isNull();
    }
}
