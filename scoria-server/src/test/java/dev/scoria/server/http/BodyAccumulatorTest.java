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
    void aLongBodyInManyChunksIsCopiedIntoOnePooledArray() {
        Random random = new Random(5);
        BodyPool pool = new BodyPool();
        for (int round = 0; round < 100; round++) {
            byte[] bytes = new byte[BodyPool.MIN_BYTES + random.nextInt(1_000_000)];
            random.nextBytes(bytes);
            BodyAccumulator body = new BodyAccumulator(bytes.length, pool);
            for (int from = 0; from < bytes.length; ) {
                int to = Math.min(bytes.length, from + 1 + random.nextInt(round % 2 == 0 ? 100 : 70_000));
                body.add(Buffer.buffer(Arrays.copyOfRange(bytes, from, to)));
                from = to;
            }
            body.ended();
            assertThat(body.whole().getBytes()).isEqualTo(bytes);
            BodyBytes view = BodyBytes.of(body.whole());
            assertThat(view.length()).isEqualTo(bytes.length);
            assertThat(view.array().length).isGreaterThanOrEqualTo(bytes.length);
            body.release();
        }
        assertThat(pool.filling()).isZero();
        assertThat(pool.kept()).isPositive();
    }

    @Test
    void aBodyIsGivenBackOnceAndNotBeforeItsReaderSaysSo() {
        BodyPool pool = new BodyPool();
        byte[] bytes = new byte[200_000];
        new Random(7).nextBytes(bytes);
        BodyAccumulator body = new BodyAccumulator(bytes.length, pool);
        body.add(Buffer.buffer(Arrays.copyOfRange(bytes, 0, 1000)));
        body.add(Buffer.buffer(Arrays.copyOfRange(bytes, 1000, bytes.length)));
        body.ended();
        body.ended();
        assertThat(pool.filling()).isZero();
        // The answer may have gone (a 504) while the job still reads: the pool must not lend the array yet.
        BodyAccumulator next = new BodyAccumulator(bytes.length, pool);
        next.add(Buffer.buffer(new byte[1000]));
        next.add(Buffer.buffer(new byte[bytes.length - 1000]));
        assertThat(body.whole().getBytes()).isEqualTo(bytes);
        body.release();
        body.release();
        assertThat(pool.kept()).isEqualTo(BodyPool.classSize(bytes.length));
    }

    @Test
    void aBodyIsGatheredAsItArrivesWhenThePoolLendsNothing() {
        BodyPool pool = new BodyPool(BodyPool.MIN_BYTES, BodyPool.MIN_BYTES);
        BodyAccumulator holding = new BodyAccumulator(BodyPool.MIN_BYTES, pool);
        holding.add(Buffer.buffer(new byte[10]));
        byte[] bytes = new byte[100_000];
        new Random(9).nextBytes(bytes);
        BodyAccumulator body = new BodyAccumulator(bytes.length, pool);
        body.add(Buffer.buffer(Arrays.copyOfRange(bytes, 0, 5000)));
        body.add(Buffer.buffer(Arrays.copyOfRange(bytes, 5000, bytes.length)));
        body.ended();
        assertThat(body.whole().getBytes()).isEqualTo(bytes);
        body.release();
        assertThat(pool.kept()).isZero();
        holding.ended();
        assertThat(pool.filling()).isZero();
    }

    @Test
    void aBodyInOneChunkTakesNothingFromThePool() {
        BodyPool pool = new BodyPool();
        Buffer chunk = Buffer.buffer(new byte[100_000]);
        BodyAccumulator body = new BodyAccumulator(100_000, pool);
        body.add(chunk);
        body.ended();
        assertThat(body.whole()).isSameAs(chunk);
        body.release();
        assertThat(pool.kept()).isZero();
    }

    @Test
    void noChunkIsAnEmptyBody() {
        assertThat(new BodyAccumulator(0).whole().length()).isZero();
    }
}
