package dev.scoria.server.http;

import java.util.ArrayDeque;

/**
 * Arrays for large request bodies, each sized once from the body's declared length so the chunks are
 * copied straight into it, and handed back for the next body once nothing reads it.
 *
 * <p>Two bounds keep memory where it was without the pool. Arrays are lent whole before their bytes
 * arrive, so a client that declares megabytes and sends slowly would hold them empty: the arrays still
 * being filled may add up to {@code maxFilling} bytes, and past that a body is gathered as it arrives
 * (memory that follows the bytes received), as it always was. And the pool keeps at most
 * {@code maxKept} bytes of free arrays. An array never handed back (a body read by a path that does not
 * say when it is done with it) is only garbage, never a leak of either bound.
 *
 * <p>Sizes are powers of two, so one array serves every body of its class.
 */
final class BodyPool {

    /** Below this a body comes in a chunk or two: gathering it costs next to nothing. */
    static final int MIN_BYTES = 64 * 1024;

    /** Above this the body is gathered as before: too large to keep an array of around. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    /** Sized for a 112 MiB heap: eight bodies of 2 MiB (10,000 rows) filling at once. */
    static final long DEFAULT_MAX_FILLING = 16L * 1024 * 1024;

    /**
     * Four such arrays: about 10 MiB more resident at peak than without the pool. Keeping half as many cost
     * 10,000-row requests at 8 connections some 7 % more CPU, the arrays allocated again.
     */
    static final long DEFAULT_MAX_KEPT = 8L * 1024 * 1024;

    private final long maxFilling;
    private final long maxKept;
    private final ArrayDeque<byte[]>[] free;
    private long filling;
    private long kept;
    private long givenBack;

    BodyPool() {
        this(DEFAULT_MAX_FILLING, DEFAULT_MAX_KEPT);
    }

    @SuppressWarnings("unchecked")
    BodyPool(long maxFilling, long maxKept) {
        this.maxFilling = maxFilling;
        this.maxKept = maxKept;
        this.free = new ArrayDeque[Integer.SIZE];
        for (int i = 0; i < free.length; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /**
     * An array of at least {@code declared} bytes, its contents stale, to be filled and then {@link
     * #filled}; or null when the body should be gathered as it arrives (out of the pooled sizes, or too
     * many bytes already lent and not yet received).
     */
    synchronized byte[] lend(int declared) {
        if (declared < MIN_BYTES || declared > MAX_BYTES) {
            return null;
        }
        int size = classSize(declared);
        if (filling + size > maxFilling) {
            return null;
        }
        filling += size;
        byte[] array = free[Integer.numberOfTrailingZeros(size)].pollFirst();
        if (array != null) {
            kept -= size;
            return array;
        }
        return new byte[size];
    }

    /** The array {@link #lend} gave is no longer being filled: its body arrived, or never will. */
    synchronized void filled(byte[] array) {
        filling -= array.length;
    }

    /** Takes back an array that {@link #lend} gave, once nothing reads it; kept if there is room. */
    synchronized void giveBack(byte[] array) {
        givenBack++;
        if (kept + array.length <= maxKept) {
            free[Integer.numberOfTrailingZeros(array.length)].addFirst(array);
            kept += array.length;
        }
    }

    /** Arrays handed back since the pool was made, kept or not. */
    synchronized long givenBack() {
        return givenBack;
    }

    /** Bytes of free arrays kept. */
    synchronized long kept() {
        return kept;
    }

    /** Bytes of arrays lent and still being filled. */
    synchronized long filling() {
        return filling;
    }

    static int classSize(int declared) {
        return declared <= 1 ? 1 : Integer.highestOneBit(declared - 1) << 1;
    }
}
