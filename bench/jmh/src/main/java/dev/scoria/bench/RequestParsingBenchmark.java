package dev.scoria.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.core.input.DataMatrixReader;
import dev.scoria.core.input.DataRowsSplitter;
import dev.scoria.core.input.DenseMatrix;
import dev.scoria.core.input.RowsPart;
import dev.scoria.core.input.SessionFiveRowsScanner;
import dev.scoria.core.input.SessionFourRowsScanner;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code {"data": [[...]]}} path: Scoria's streaming reader into one primitive array, against the
 * baseline a straightforward server would use (a Jackson tree, then copying every number out of it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestParsingBenchmark {

    @Param({"2", "1000", "10000"})
    int rows;

    /**
     * How the numbers are written: "java" as Java prints computed doubles (17 significant digits, often),
     * "csv" as a data set is stored (15 significant digits, as in the demo's diabetes.csv, but printed back
     * by Java, so often with 16 or 17), "diabetes" the rows bench/run.sh sends (the demo's diabetes.csv as
     * Python's json.dumps writes it, which is the file's text: run from the repository's root).
     */
    @Param({"java", "csv", "diabetes"})
    String numbers;

    byte[] body;
    final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build());
    final DataMatrixReader reader = new DataMatrixReader(10, -1, "input 'input' double[N, 10]");

    @Setup
    public void makeBody() throws IOException {
        if (numbers.equals("diabetes")) {
            List<String> lines = Files.readAllLines(Path.of("scripts/diabetes.csv"));
            StringBuilder sb = new StringBuilder("{\"data\": [");
            for (int r = 0; r < rows; r++) {
                String[] values = lines.get(1 + r % (lines.size() - 1)).split(",");
                sb.append(r == 0 ? "[" : ", [")
                        .append(String.join(", ", Arrays.copyOf(values, 10)))
                        .append(']');
            }
            body = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            return;
        }
        Random random = new Random(13);
        StringBuilder sb = new StringBuilder("{\"data\": [");
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < 10; c++) {
                double value = 0.0199132141783263 * (r + 1) - 0.0049 * c;
                if (numbers.equals("csv")) {
                    value = new BigDecimal(random.nextGaussian() * 0.05)
                            .round(new MathContext(15))
                            .doubleValue();
                }
                sb.append(c == 0 ? "" : ", ").append(value);
            }
            sb.append(']');
        }
        body = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public DenseMatrix streamingReader() {
        return reader.read(body);
    }

    /**
     * A large request as the server reads it: cut in 8 parts ({@code SplitScoring} on two cores), each part's
     * values read into an array of their own.
     */
    @Benchmark
    public void partsReader(Blackhole out) {
        for (RowsPart part : DataRowsSplitter.split(body, 0, body.length, 8)) {
            out.consume(reader.readPart(body, part));
        }
    }

    /** As {@link #partsReader}, with session 5's scanner. */
    @Benchmark
    public void sessionFiveParts(Blackhole out) {
        for (RowsPart part : DataRowsSplitter.split(body, 0, body.length, 8)) {
            out.consume(SessionFiveRowsScanner.scanPart(body, part.from(), part.to(), 10, part.first(), part.last()));
        }
    }

    /** Session 5's scanner: one pass, digits read one byte at a time. */
    @Benchmark
    public DenseMatrix sessionFiveScanner() {
        return SessionFiveRowsScanner.scan(body, 0, body.length, 10, -1);
    }

    /** Session 4's scanner: each number's end found, then the number parsed again by fastdoubleparser. */
    @Benchmark
    public DenseMatrix sessionFourScanner() {
        return SessionFourRowsScanner.scan(body, 0, body.length, 10, -1);
    }

    /** The reader before it parsed numbers from the bytes: Jackson's tokens, {@code getDoubleValue} for each. */
    @Benchmark
    public double[] jacksonStreaming() throws Exception {
        double[] values = new double[rows * 10];
        int i = 0;
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            while (p.nextToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values[i++] = p.getDoubleValue();
                }
            }
        }
        return values;
    }

    @Benchmark
    public double[] baselineJacksonTree() throws Exception {
        JsonNode data = mapper.readTree(body).get("data");
        double[] values = new double[data.size() * 10];
        int i = 0;
        for (JsonNode row : data) {
            for (JsonNode v : row) {
                values[i++] = v.doubleValue();
            }
        }
        return values;
    }
}
