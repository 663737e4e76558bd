package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class BodyChunksTest {

    @Test
    void aBodyInOneChunkIsThatChunk() {
        BodyChunks body = new BodyChunks();
        Buffer chunk = Buffer.buffer("{\"data\": [[1]]}");
        body.add(chunk);
        assertThat(body.whole()).isSameAs(chunk);
    }

    @Test
    void chunksAreJoinedInOrderIntoOneBufferOfTheirLength() {
        BodyChunks body = new BodyChunks();
        body.add(Buffer.buffer("{\"data\""));
        body.add(Buffer.buffer(": [[1, "));
        body.add(Buffer.buffer("2]]}"));
        Buffer whole = body.whole();
        assertThat(whole.toString()).isEqualTo("{\"data\": [[1, 2]]}");
        assertThat(whole.length()).isEqualTo(18);
    }

    @Test
    void noChunkIsAnEmptyBody() {
        assertThat(new BodyChunks().whole().length()).isZero();
    }
}
