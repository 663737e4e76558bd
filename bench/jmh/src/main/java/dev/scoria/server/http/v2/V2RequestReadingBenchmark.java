package dev.scoria.server.http.v2;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
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

/**
 * The Open Inference Protocol JSON request {@code {"inputs": [{"name", "shape", "datatype", "data"}]}}:
 * the reader's fast path over the bytes against its Jackson path (what it was before), on the same body.
 * In this package because the reader is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class V2RequestReadingBenchmark {

    @Param({"1", "1000", "10000"})
    int rows;

    byte[] body;

    @Setup
    public void makeBody() {
        Random random = new Random(13);
        StringBuilder sb = new StringBuilder("{\"inputs\": [{\"name\": \"input\", \"shape\": [")
                .append(rows)
                .append(", 10], \"datatype\": \"FP64\", \"data\": [");
        for (int i = 0; i < rows * 10; i++) {
            double value = new BigDecimal(random.nextGaussian() * 0.05)
                    .round(new MathContext(15))
                    .doubleValue();
            sb.append(i == 0 ? "" : ", ").append(value);
        }
        body = sb.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public V2Request bytesScanner() {
        return V2RequestReader.read(body, -1);
    }

    /** The pass that finds where a flat list's parts start, before they are read on several cores (8 parts). */
    @Benchmark
    public Object layoutOfEightParts() {
        return V2JsonScanner.layout(body, 0, body.length, 8);
    }

    @Benchmark
    public V2Request jacksonStreaming() {
        return V2RequestReader.readTokens(body, 0, body.length, -1);
    }
}
