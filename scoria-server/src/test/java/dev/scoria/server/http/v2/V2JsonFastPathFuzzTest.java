package dev.scoria.server.http.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The v2 JSON reader's fast path over the bytes ({@link V2JsonScanner}) against its Jackson path, on
 * arbitrary bodies: the same request, bit for bit, or the same error. Any other exception is a bug.
 */
class V2JsonFastPathFuzzTest {

    @FuzzTest
    void agreesWithTheGeneralReader(byte[] body) {
        assertThat(V2JsonScannerTest.outcome(body, false)).isEqualTo(V2JsonScannerTest.outcome(body, true));
    }
}
