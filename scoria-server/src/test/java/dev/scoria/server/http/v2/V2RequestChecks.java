package dev.scoria.server.http.v2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.NamedTensor;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** What every request the reader accepts must satisfy, whatever its bytes: the fuzz tests' shared property. */
final class V2RequestChecks {

    private V2RequestChecks() {}

    /**
     * The reader's answer to {@code body}, read from inside a larger array, or null when it refused it as
     * bad input (any other failure throws).
     */
    static V2Request readOrRefuse(byte[] body, int headerLength) {
        try {
            // Read where it lies, inside a larger array, as the server reads a request's buffer.
            byte[] padded = new byte[body.length + 7];
            Arrays.fill(padded, (byte) '{');
            System.arraycopy(body, 0, padded, 4, body.length);
            V2Request request = V2RequestReader.read(padded, 4, body.length, headerLength);
            assertConsistent(request);
            return request;
        } catch (ScoriaException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.BAD_INPUT);
            return null;
        }
    }

    /** Every tensor holds exactly as many values as its shape says (counted without overflow), names unique. */
    static void assertConsistent(V2Request request) {
        Set<String> names = new HashSet<>();
        for (NamedTensor tensor : request.inputs()) {
            assertThat(names.add(tensor.name())).as("input names are unique").isTrue();
            BigInteger count = BigInteger.ONE;
            for (long d : tensor.shape()) {
                assertThat(d).as("dimension of %s", tensor.name()).isNotNegative();
                count = count.multiply(BigInteger.valueOf(d));
            }
            assertThat(BigInteger.valueOf(Array.getLength(tensor.data())))
                    .as("values of %s, shape %s", tensor.name(), Arrays.toString(tensor.shape()))
                    .isEqualTo(count);
            assertThat(tensor.datatype().storage()).isEqualTo(tensor.data().getClass());
        }
    }
}
