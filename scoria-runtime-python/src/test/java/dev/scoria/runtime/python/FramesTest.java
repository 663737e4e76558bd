package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void aFrameRoundTripsWithABodyOfAnyBytes() throws IOException {
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.write(out, Frames.header("score").put("id", "r-1").put("method", "POST"), body);
        Frames.write(out, Frames.header("score").put("id", "r-2"), new byte[0]);

        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        Frames.Frame first = Frames.read(in);
        assertThat(first.type()).isEqualTo("score");
        assertThat(first.header().get("id").asText()).isEqualTo("r-1");
        assertThat(first.body()).isEqualTo(body);
        Frames.Frame second = Frames.read(in);
        assertThat(second.header().get("id").asText()).isEqualTo("r-2");
        assertThat(second.body()).isEmpty();
        assertThat(Frames.read(in)).as("clean end of stream").isNull();
    }

    @Test
    void theWireFormatIsTwoBigEndianLengthsThenHeaderThenBody() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.write(out, Frames.header("ready"), "ab".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = out.toByteArray();
        String header = "{\"type\":\"ready\"}";
        assertThat(Arrays.copyOfRange(bytes, 0, 8)).containsExactly(0, 0, 0, header.length(), 0, 0, 0, 2);
        assertThat(new String(bytes, 8, header.length(), StandardCharsets.UTF_8))
                .isEqualTo(header);
        assertThat(new String(bytes, 8 + header.length(), 2, StandardCharsets.UTF_8))
                .isEqualTo("ab");
    }

    @Test
    void aStreamEndingInsideAFrameIsAnError() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.write(out, Frames.header("result"), new byte[100]);
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 10);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(cut))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[] {0, 0, 0})))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void textWhereAFrameShouldBeIsReportedAsACorruptStream() {
        // What a stray print() to the protocol stream would look like: "hello wo" read as two lengths.
        byte[] text = "hello world\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(text)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt frame");
    }

    @Test
    void aHeaderThatIsNotAJsonObjectIsRefused() {
        byte[] frame = {0, 0, 0, 2, 0, 0, 0, 0, '[', ']'};
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(frame)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void answersWithTheSameHeaderShareOneParseAndOthersAreReadAsSent() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String status : new String[] {"200", "200", "201", "200"}) {
            byte[] head = ("{\"type\": \"result\", \"status\": " + status
                            + ", \"headers\": [[\"Content-Type\", \"application/json\"]]}")
                    .getBytes(StandardCharsets.UTF_8);
            Frames.write(out, head, status.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        Frames.Frame first = Frames.read(in);
        Frames.Frame second = Frames.read(in);
        Frames.Frame created = Frames.read(in);
        Frames.Frame fourth = Frames.read(in);
        assertThat(second.header()).as("the same header bytes: one tree").isSameAs(first.header());
        assertThat(first.header().path("status").asInt()).isEqualTo(200);
        assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("200");
        assertThat(created.header().path("status").asInt()).isEqualTo(201);
        assertThat(created.header().path("headers").path(0).path(1).asText()).isEqualTo("application/json");
        assertThat(fourth.header().path("status").asInt()).isEqualTo(200);
        assertThat(fourth.header()).isEqualTo(first.header());
    }
}
