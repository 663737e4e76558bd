package dev.scoria.core.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A body cut into parts (to be read on several cores), on arbitrary bodies: read part by part it gives
 * the rows it gives read whole, in order; or some part declines and the body is read whole.
 */
class DataRowsPartsFuzzTest {

    private static final DataMatrixReader[] READERS = {
        new DataMatrixReader(-1, -1, "input 'x'"), new DataMatrixReader(2, -1, "input 'x'")
    };

    @FuzzTest
    void partsAgreeWithTheWholeBody(byte[] body) {
        for (int parts = 2; parts <= 4; parts++) {
            for (DataMatrixReader reader : READERS) {
                String inParts = DataRowsSplitterTest.readInParts(reader, body, 0, body.length, parts);
                if (inParts != null) {
                    assertThat(inParts).isEqualTo(DataRowsSplitterTest.readWhole(reader, body, 0, body.length));
                }
            }
        }
    }
}
