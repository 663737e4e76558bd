package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies held at once are bounded, as clients meet it: a request whose body does not fit while another
 * is being read is answered 503 with Retry-After in its route's error format, before its body is read, and gets
 * in once the other's room is given back.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BodyBudgetHttpTest {

    static final String SCORE = "/api/v1/service/myservice/score";
    static final String INFER = "/v2/models/myservice/infer";

    @Test
    void aBodyThatDoesNotFitIsRefusedBeforeItIsReadAndGetsInOnceTheRoomIsBack(@TempDir Path dir) throws Exception {
        try (TestServer t = TestServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .maxBodiesInFlightBytes(64 * 1024)
                .build())) {
            String rows = DemoService.sampleRequest();
            // A client that declared 64 KiB and sent a little: its body holds the whole budget while it is read.
            Socket slow = new Socket("127.0.0.1", t.server.port());
            OutputStream out = slow.getOutputStream();
            out.write(head(t, SCORE, "application/json", 64 * 1024).getBytes(StandardCharsets.US_ASCII));
            out.write("{\"data\": [".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);

            String refused = exchange(t, SCORE, rows, "chunked");
            assertThat(refused).startsWith("HTTP/1.1 503");
            assertThat(refused.toLowerCase()).contains("retry-after: 1");
            assertThat(refused)
                    .contains("{\"status_code\":503,\"message\":\"the server holds 0.1 MiB of request bodies being read"
                            + " or scored, and this request's 1.0 MiB body does not fit");
            // The fast path's requests too, answered the same way by the route they then go to.
            String alsoRefused = exchange(t, SCORE, rows, null);
            assertThat(alsoRefused).startsWith("HTTP/1.1 503").contains("\"status_code\":503");
            // The Open Inference Protocol's route answers in its own error format.
            String v2 = exchange(t, INFER, DirectScoringHttpTest.V2_BODY, null);
            assertThat(v2).startsWith("HTTP/1.1 503").contains("{\"error\":\"the server holds");

            slow.close();
            String admitted = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                admitted = exchange(t, SCORE, rows, null);
                if (admitted.startsWith("HTTP/1.1 200")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(admitted).startsWith("HTTP/1.1 200").endsWith(TestServer.EXPECTED);
        }
    }

    private static String head(TestServer t, String path, String type, long length) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + t.primaryKey()
                + "\r\nContent-Type: " + type + "\r\nContent-Length: " + length + "\r\n\r\n";
    }

    /** One request on a connection of its own, its body declared or chunked; the whole answer, head and body. */
    private static String exchange(TestServer t, String path, String body, String transferEncoding) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", t.server.port())) {
            socket.setSoTimeout(10_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + t.primaryKey() + "\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\n");
            if (transferEncoding == null) {
                request.append("Content-Length: ")
                        .append(bytes.length)
                        .append("\r\n\r\n")
                        .append(body);
            } else {
                request.append("Transfer-Encoding: chunked\r\n\r\n")
                        .append(Integer.toHexString(bytes.length))
                        .append("\r\n")
                        .append(body)
                        .append("\r\n0\r\n\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
