package dev.scoria.server.http.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorJson;
import dev.scoria.scorer.Tensor;
import dev.scoria.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The v2 answer written straight to bytes is what the server's Jackson generator writes for it, byte for
 * byte: every datatype, non-finite numbers, odd names and ids, and outputs in binary form.
 */
class V2ResponseWriterTest {

    private static final String[] ODD_NAMES = {
        "output",
        "",
        "with \"quotes\" and \\ backslash",
        "tab\tnew\nline\rcr\bback\fform",
        "\u0000\u0001\u001f\u007f",
        "slash / and </script>",
        "café ünïcödé",
        "日本語",
        "emoji \ud83d\ude00 pair",
        "lone \ud800 high",
        "lone \udc00 low",
        "\u2028\u2029",
    };

    /** The answer as the generator wrote it before: JSON then, for binary outputs, their bytes. */
    private static byte[] byGenerator(String model, String version, V2Request request, List<NamedTensor> outputs)
            throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(json)) {
            out.writeStartObject();
            out.writeStringField("model_name", model);
            out.writeStringField("model_version", version);
            if (request.id() != null) {
                out.writeStringField("id", request.id());
            }
            out.writeArrayFieldStart("outputs");
            for (NamedTensor output : outputs) {
                out.writeStartObject();
                out.writeStringField("name", output.name());
                out.writeStringField("datatype", output.datatype().name());
                out.writeArrayFieldStart("shape");
                for (long d : output.shape()) {
                    out.writeNumber(d);
                }
                out.writeEndArray();
                if (request.binary(output.name())) {
                    byte[] data = BinaryTensors.encode(output);
                    binary.write(data);
                    out.writeObjectFieldStart("parameters");
                    out.writeNumberField("binary_data_size", data.length);
                    out.writeEndObject();
                } else {
                    out.writeFieldName("data");
                    TensorJson.writeFlat(out, output, false);
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        json.write(binary.toByteArray());
        return json.toByteArray();
    }

    private static byte[] direct(String model, String version, V2Request request, List<NamedTensor> outputs)
            throws IOException {
        JsonBytes out = new JsonBytes(8);
        byte[][] binary = V2ResponseWriter.envelope(out, model, version, request, outputs);
        if (binary != null) {
            for (byte[] data : binary) {
                if (data != null) {
                    out.append(data);
                }
            }
        }
        return out.toByteArray();
    }

    private static void same(String model, String version, V2Request request, List<NamedTensor> outputs)
            throws IOException {
        byte[] expected = byGenerator(model, version, request, outputs);
        assertThat(direct(model, version, request, outputs))
                .as(() -> new String(expected, StandardCharsets.UTF_8))
                .isEqualTo(expected);
    }

    private static V2Request request(String id, Set<String> binary) {
        return new V2Request(id, List.of(), List.of(), binary, false);
    }

    private static List<NamedTensor> everyDatatype(Random random, int n) {
        double[] doubles = new double[n];
        float[] floats = new float[n];
        long[] longs = new long[n];
        int[] ints = new int[n];
        int[] bytes = new int[n];
        boolean[] bools = new boolean[n];
        String[] strings = new String[n];
        for (int i = 0; i < n; i++) {
            doubles[i] = switch (i % 5) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                case 2 -> random.nextInt(1000) - 500;
                case 3 -> -0.0;
                default -> random.nextDouble();
            };
            floats[i] = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) random.nextGaussian();
            longs[i] = i % 3 == 0 ? random.nextLong() : random.nextInt(100) - 50;
            ints[i] = random.nextInt();
            bytes[i] = random.nextInt(256);
            bools[i] = random.nextBoolean();
            strings[i] = ODD_NAMES[random.nextInt(ODD_NAMES.length)]
                    .replace("\ud800", "")
                    .replace("\udc00", "");
        }
        List<NamedTensor> outputs = new ArrayList<>();
        outputs.add(new NamedTensor("fp64", Datatype.FP64, new Tensor(new long[] {n}, doubles)));
        outputs.add(new NamedTensor("fp32", Datatype.FP32, new Tensor(new long[] {1, n}, floats)));
        outputs.add(new NamedTensor("fp16", Datatype.FP16, new Tensor(new long[] {n, 1}, floats.clone())));
        outputs.add(new NamedTensor("int64", Datatype.INT64, new Tensor(new long[] {n}, longs)));
        outputs.add(new NamedTensor("uint64", Datatype.UINT64, new Tensor(new long[] {n}, longs.clone())));
        outputs.add(new NamedTensor("int32", Datatype.INT32, new Tensor(new long[] {n}, ints)));
        outputs.add(new NamedTensor("uint8", Datatype.UINT8, new Tensor(new long[] {n}, bytes)));
        outputs.add(new NamedTensor("bool", Datatype.BOOL, new Tensor(new long[] {n}, bools)));
        outputs.add(new NamedTensor("bytes", Datatype.BYTES, new Tensor(new long[] {n}, strings)));
        return outputs;
    }

    @Test
    void everyDatatypeIsWrittenAsTheGeneratorWritesIt() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = round % 10 == 0 ? 0 : 1 + random.nextInt(round % 4 == 0 ? 2000 : 6);
            same("myservice", "1", request(round % 2 == 0 ? "id-" + round : null, Set.of()), everyDatatype(random, n));
        }
    }

    @Test
    void nonFiniteNumbersAreTheGeneratorsQuotedStrings() throws IOException {
        double[] doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5, Double.MIN_VALUE};
        float[] floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f, Float.MIN_VALUE};
        List<NamedTensor> outputs = List.of(
                new NamedTensor("d", Datatype.FP64, new Tensor(new long[] {5}, doubles)),
                new NamedTensor("f", Datatype.FP32, new Tensor(new long[] {5}, floats)));
        same("m", "2", request(null, Set.of()), outputs);
        assertThat(new String(direct("m", "2", request(null, Set.of()), outputs), StandardCharsets.UTF_8))
                .contains("\"data\":[\"NaN\",\"Infinity\",\"-Infinity\",1.5,4.9E-324]");
    }

    @Test
    void oddModelOutputNamesAndIdsAreEscapedAsTheGeneratorEscapesThem() throws IOException {
        for (String odd : ODD_NAMES) {
            List<NamedTensor> outputs =
                    List.of(new NamedTensor(odd, Datatype.FP64, new Tensor(new long[] {2}, new double[] {1, 2})));
            same(odd, odd, request(odd, Set.of()), outputs);
            same("m", "1", request(null, Set.of(odd)), outputs);
        }
    }

    @Test
    void binaryOutputsFollowTheJsonInOutputOrder() throws IOException {
        Random random = new Random(11);
        for (int n : new int[] {0, 1, 3, 1000}) {
            List<NamedTensor> outputs = everyDatatype(random, n);
            same("m", "1", request("x", Set.of("fp64", "int32", "bytes", "bool")), outputs);
            same("m", "1", new V2Request(null, List.of(), List.of(), Set.of(), true), outputs);
        }
    }

    @Test
    void aScalarAndAnEmptyShapeAreWrittenAsTheGeneratorWritesThem() throws IOException {
        same(
                "m",
                "1",
                request(null, Set.of()),
                List.of(
                        new NamedTensor("s", Datatype.FP64, new Tensor(new long[] {}, new double[] {3.25})),
                        new NamedTensor("e", Datatype.INT64, new Tensor(new long[] {0, 4}, new long[0]))));
    }

    @Test
    void theArrayGrowsPastItsFirstSize() throws IOException {
        JsonBytes out = new JsonBytes(1);
        for (int i = 0; i < 1000; i++) {
            out.number(-1.2345678901234567e-300).raw(',');
        }
        assertThat(out.length()).isEqualTo(1000 * "-1.2345678901234567E-300,".length());
        assertThatThrownBy(() -> out.buffer().getByte(out.length())).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
