package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One port served by several event loops, as clients meet it: connections spread over the loops. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HttpListenersTest {

    Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void connectionsAreSpreadOverTheListenersEachOnItsOwnLoopWithItsOwnHandler() throws Exception {
        AtomicInteger made = new AtomicInteger();
        HttpListeners listeners = HttpListeners.listen(
                vertx,
                new HttpServerOptions().setHost("127.0.0.1").setPort(0),
                3,
                () -> {
                    int handler = made.incrementAndGet();
                    return request -> request.response()
                            .end(handler + " " + Thread.currentThread().getName());
                },
                null);
        assertThat(made).hasValue(3);
        assertThat(listeners.count()).isEqualTo(3);
        Set<String> handlers = new HashSet<>();
        Set<String> threads = new HashSet<>();
        // Each client its own connection: the port hands each new one to the next listener.
        for (int i = 0; i < 6; i++) {
            String[] answer =
                    get(HttpClient.newHttpClient(), listeners.actualPort()).split(" ");
            handlers.add(answer[0]);
            threads.add(answer[1]);
        }
        assertThat(handlers).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(threads).hasSize(3).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
    }

    @Test
    void afterShutdownThePortIsClosed() throws Exception {
        HttpListeners listeners = HttpListeners.listen(
                vertx,
                new HttpServerOptions().setHost("127.0.0.1").setPort(0),
                2,
                () -> request -> request.response().end("up"),
                null);
        int port = listeners.actualPort();
        assertThat(get(HttpClient.newHttpClient(), port)).isEqualTo("up");
        listeners.shutdown(1000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), port)).isInstanceOf(ConnectException.class);
    }

    @Test
    void atLeastOneListener() {
        assertThatThrownBy(() ->
                        HttpListeners.listen(vertx, new HttpServerOptions().setPort(0), 0, () -> request -> {}, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one listener");
    }

    @Test
    void loopsThatPollBeforeSleepingAnswerRequestsAndWorkHandedToThemFromOtherThreads() throws Exception {
        Vertx polling = Vertx.builder()
                .withTransport(PollingTransport.nio(200, () -> true))
                .build();
        try {
            HttpListeners listeners = HttpListeners.listen(
                    polling,
                    new HttpServerOptions().setHost("127.0.0.1").setPort(0),
                    2,
                    () -> request -> {
                        Context loop = polling.getOrCreateContext();
                        // Answered from another thread through the loop's task queue, as scoring answers are.
                        new Thread(() -> loop.runOnContext(
                                        v -> request.response().end("polled")))
                                .start();
                    },
                    null);
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                assertThat(get(client, listeners.actualPort())).isEqualTo("polled");
            }
        } finally {
            polling.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerWhoseLoopsPollScores(@TempDir Path dir) throws Exception {
        try (TestServer t = TestServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .pollMicros(100)
                .build())) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(t.url("/api/v1/service/myservice/score")))
                                    .header("Authorization", "Bearer " + t.primaryKey())
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(TestServer.EXPECTED);
        }
    }

    @Test
    void aServerOnSeveralLoopsScoresOnEachConnection(@TempDir Path dir) throws Exception {
        try (TestServer t = TestServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .eventLoops(2)
                .build())) {
            String key = t.primaryKey();
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(t.url("/api/v1/service/myservice/score")))
                                        .header("Authorization", "Bearer " + key)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                answers.add(response.body());
            }
            assertThat(answers).containsOnly(TestServer.EXPECTED);
        }
    }

    @Test
    void theEventLoopCountIsChecked() {
        assertThatThrownBy(() -> ServerConfig.builder()
                        .dataDir(Path.of("x"))
                        .eventLoops(-1)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event loops is -1");
        assertThat(ServerConfig.builder().dataDir(Path.of("x")).build().eventLoopCount())
                .isEqualTo(ServerConfig.defaultEventLoops())
                .isPositive();
    }

    private static String get(HttpClient client, int port) throws IOException, InterruptedException {
        return client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
