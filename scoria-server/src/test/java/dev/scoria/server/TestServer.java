package dev.scoria.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real server on a free loopback port with the demo service, and a client to call it. */
public final class TestServer implements AutoCloseable {

    public static final String EXPECTED = "[217.67978776218715,224.78937091757172]";

    public final ScoriaServer server;
    public final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(ScoriaServer server) {
        this.server = server;
    }

    public static TestServer start(Path dataDir) throws Exception {
        return start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dataDir)
                .build());
    }

    public static TestServer start(ServerConfig config) throws Exception {
        ScoriaServer server = ScoriaServer.start(config);
        DemoService.ensure(server, 30_000);
        return new TestServer(server);
    }

    public String url(String path) {
        return server.baseUrl() + path;
    }

    public String primaryKey() {
        return server.services().get(DemoService.SERVICE).keys().primary();
    }

    public String secondaryKey() {
        return server.services().get(DemoService.SERVICE).keys().secondary();
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> score(String key, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                request("/api/v1/service/myservice/score").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    public HttpResponse<String> admin(String method, String path, String jsonBody)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path)
                .header("Authorization", "Bearer " + server.adminToken())
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.build());
    }

    /** Polls a service until it leaves Transitioning (30 s at most) and returns its last JSON. */
    public JsonNode waitForService(String name) throws Exception {
        return poll("/api/v1/services/" + name, "state", "Transitioning");
    }

    /** Polls an operation until it stops Running (30 s at most) and returns its last JSON. */
    public JsonNode waitForOperation(String location) throws Exception {
        return poll(location, "state", "Running");
    }

    private JsonNode poll(String path, String field, String busy) throws Exception {
        var json = new ObjectMapper();
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            var node = json.readTree(admin("GET", path, null).body());
            if (!node.path(field).asText().equals(busy) || System.currentTimeMillis() > deadline) {
                return node;
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
