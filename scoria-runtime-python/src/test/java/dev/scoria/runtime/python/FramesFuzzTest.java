package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;

/**
 * The worker protocol's frame reader on arbitrary streams (a worker's user code can write anything to
 * it): frames, a clean end, or an IOException — nothing else — and memory in proportion to the bytes
 * that actually arrived, whatever lengths the prefixes claim (a claimed 1 GiB body on a 10-byte stream
 * must not allocate 1 GiB).
 */
class FramesFuzzTest {

    /** Bytes the reader may allocate per byte read, plus a fixed allowance (JSON parser buffers, frames). */
    private static final long PER_BYTE = 16;

    private static final long FIXED = 2L * 1024 * 1024;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        // Loads and initialises the reader's classes (Jackson's among them) before any allocation is counted.
        try {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            Frames.write(frame, Frames.header("warm-up"), new byte[] {1});
            Frames.read(new ByteArrayInputStream(frame.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void readsFramesOrRefusesWithinMemory(byte[] stream) {
        // Read twice, counting the second time: the first may load and initialise classes (more so under
        // the fuzzer's instrumentation), which is not the reader's allocation.
        readAll(stream);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        readAll(stream);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated)
                .as("bytes allocated reading a %d-byte stream", stream.length)
                .isLessThanOrEqualTo(FIXED + PER_BYTE * stream.length);
    }

    private static void readAll(byte[] stream) {
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        try {
            while (Frames.read(in) != null) {
                // every frame in the stream, until the clean end
            }
        } catch (IOException e) {
            // the documented refusal: the pool treats the worker as broken and replaces it
        }
    }
}
