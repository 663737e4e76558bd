package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyAccumulatorTest {

    @Test
    void aBodyInOneChunkIsThatChunk() {
        BodyAccumulator body = new BodyAccumulator(15);
        Buffer chunk = Buffer.buffer("{\"data\": [[1]]}");
        body.add(chunk);
        assertThat(body.whole()).isSameAs(chunk);
    }

    @Test
    void chunksAreGatheredInOrder() {
        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            byte[] bytes = new byte[1 + random.nextInt(300_000)];
            random.nextBytes(bytes);
            BodyAccumulator body = new BodyAccumulator(bytes.length);
            for (int from = 0; from < bytes.length; ) {
                int to = Math.min(bytes.length, from + 1 + random.nextInt(70_000));
                body.add(Buffer.buffer(Arrays.copyOfRange(bytes, from, to)));
                from = to;
            }
            assertThat(body.whole().getBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void noChunkIsAnEmptyBody() {
        assertThat(new BodyAccumulator(0).whole().length()).isZero();
    }
}
