package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyPoolTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void lendsArraysOfTheDeclaredLengthsPowerOfTwo() {
        BodyPool pool = new BodyPool();
        assertThat(pool.lend(2_071_418)).hasSize(2 * MIB);
        assertThat(pool.lend(BodyPool.MIN_BYTES)).hasSize(BodyPool.MIN_BYTES);
        assertThat(pool.lend(BodyPool.MIN_BYTES + 1)).hasSize(2 * BodyPool.MIN_BYTES);
        assertThat(pool.lend(BodyPool.MAX_BYTES)).hasSize(BodyPool.MAX_BYTES);
    }

    @Test
    void smallAndHugeBodiesAreGatheredAsTheyArrive() {
        BodyPool pool = new BodyPool();
        assertThat(pool.lend(BodyPool.MIN_BYTES - 1)).isNull();
        assertThat(pool.lend(BodyPool.MAX_BYTES + 1)).isNull();
        assertThat(pool.filling()).isZero();
    }

    @Test
    void arraysBeingFilledAreBoundedAndFreedOnceFilled() {
        BodyPool pool = new BodyPool(4L * MIB, 8L * MIB);
        byte[] a = pool.lend(2 * MIB);
        byte[] b = pool.lend(2 * MIB);
        assertThat(pool.lend(2 * MIB))
                .as("a client declaring megabytes and sending none holds no more")
                .isNull();
        assertThat(pool.lend(BodyPool.MIN_BYTES)).isNull();
        pool.filled(a);
        assertThat(pool.filling()).isEqualTo(2L * MIB);
        assertThat(pool.lend(2 * MIB)).isNotNull();
        pool.filled(b);
    }

    @Test
    void anArrayGivenBackIsLentAgain() {
        BodyPool pool = new BodyPool();
        byte[] a = pool.lend(300_000);
        pool.filled(a);
        pool.giveBack(a);
        assertThat(pool.kept()).isEqualTo(a.length);
        assertThat(pool.lend(400_000)).as("another body of its class").isSameAs(a);
        assertThat(pool.kept()).isZero();
        assertThat(pool.lend(300_000)).isNotSameAs(a);
    }

    @Test
    void keepsNoMoreThanItsBound() {
        BodyPool pool = new BodyPool(64L * MIB, 4L * MIB);
        byte[][] lent = new byte[5][];
        for (int i = 0; i < lent.length; i++) {
            lent[i] = pool.lend(MIB);
            pool.filled(lent[i]);
        }
        for (byte[] array : lent) {
            pool.giveBack(array);
        }
        assertThat(pool.kept()).isEqualTo(4L * MIB);
        for (int i = 0; i < 4; i++) {
            assertThat(oneOf(lent, pool.lend(MIB))).isTrue();
        }
        assertThat(oneOf(lent, pool.lend(MIB))).isFalse();
    }

    private static boolean oneOf(byte[][] arrays, byte[] array) {
        for (byte[] a : arrays) {
            if (a == array) {
                return true;
            }
        }
        return false;
    }
}
