package dev.scoria.server.http.v2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * The reader with the binary tensor extension on arbitrary bodies: its first two bytes (big-endian)
 * are taken as the {@code Inference-Header-Content-Length}, the rest as the body, so that checked-in
 * inputs stay readable (JSON, then the raw tensor bytes). It must refuse as bad input or answer
 * consistent tensors, whatever sizes, counts or BYTES lengths the header and the data claim.
 */
class V2RequestBinaryFuzzTest {

    @FuzzTest
    void refusesOrReadsConsistentTensors(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int headerLength = (input[0] & 0xFF) << 8 | input[1] & 0xFF;
        V2RequestChecks.readOrRefuse(Arrays.copyOfRange(input, 2, input.length), headerLength);
    }
}
