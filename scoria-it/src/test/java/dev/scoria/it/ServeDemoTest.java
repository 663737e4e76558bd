package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scoria serve --demo} as a user runs it: what it prints works, and a restart keeps it. */
class ServeDemoTest {

    static final String REQUEST = "{\"data\": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925,"
            + " 0.0700725447072635, -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282,"
            + " 0.00371173823343597, 0.0403433716478807], [-0.0127796318808497, -0.044641636506989, 0.0606183944448076,"
            + " 0.0528581912385822, 0.0479653430750293, 0.0293746718291555, -0.0176293810234174, 0.0343088588777263,"
            + " 0.0702112981933102, 0.00720651632920303]]}";

    @TempDir
    Path work;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theBannerPrintsWhatAClientNeedsAndARestartKeepsIt() throws Exception {
        String key;
        String token;
        try (CliProcess.Server serve = new CliProcess.Server(work, "--demo")) {
            String banner = serve.out.toString();
            assertThat(banner).contains("Service 'myservice' is Healthy");
            String scoringUri = serve.printed("Scoring URI:");
            assertThat(scoringUri).isEqualTo(serve.baseUrl() + "/api/v1/service/myservice/score");
            assertThat(serve.printed("Swagger URI:"))
                    .isEqualTo(serve.baseUrl() + "/api/v1/service/myservice/swagger.json");
            key = serve.printed("Primary key:");
            assertThat(banner).contains("curl -s " + scoringUri).contains("Bearer " + key);
            assertThat(banner).contains("Admin token (created now");
            token = Files.readString(work.resolve("scoria-data/admin-token")).trim();
            assertThat(banner).contains(token);

            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(scoringUri))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("[217.67978776218715,224.78937091757172]");
        }
        // Restarted on two event loops that poll before they sleep: connections are spread over them, answers are the
        // same.
        try (CliProcess.Server again = new CliProcess.Server(work, "--demo", "--event-loops", "2")) {
            assertThat(again.printed("Primary key:")).isEqualTo(key);
            assertThat(again.out.toString())
                    .doesNotContain("Admin token (created now")
                    .doesNotContain(token);
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(again.printed("Scoring URI:")))
                                            .header("Authorization", "Bearer " + key)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .isEqualTo("[217.67978776218715,224.78937091757172]");
        }
    }

    @Test
    void aBadEventLoopCountIsAClearError() throws Exception {
        CliProcess.Result bad = CliProcess.run(work, Map.of(), "serve", "--event-loops", "-1");
        assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
        assertThat(bad.err()).contains("--event-loops must be 1 to 256 (or 0 for the default), saw -1");
    }

    @Test
    void aBadBodyBudgetIsAClearError() throws Exception {
        CliProcess.Result bad = CliProcess.run(work, Map.of(), "serve", "--max-bodies-in-flight-mb", "-3");
        assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
        assertThat(bad.err()).contains("--max-bodies-in-flight-mb must be 1 or more (or 0 for the default), saw -3");
    }

    @Test
    void aBadPollTimeIsAClearError() throws Exception {
        CliProcess.Result bad = CliProcess.run(work, Map.of(), "serve", "--poll-micros", "20000");
        assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
        assertThat(bad.err()).contains("--poll-micros must be 0 to 10000, saw 20000");
    }

    @Test
    void aBadIdleTimeoutIsAClearError() throws Exception {
        CliProcess.Result bad = CliProcess.run(work, Map.of(), "serve", "--idle-timeout-s", "-1");
        assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
        assertThat(bad.err()).contains("--idle-timeout-s must be 0 (never) or more, saw -1");
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (CliProcess.Server serve = new CliProcess.Server(work, "--data-dir", "one")) {
            CliProcess.Result second =
                    CliProcess.run(work, Map.of(), "serve", "--port", String.valueOf(serve.port), "--data-dir", "two");
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
            assertThat(second.err()).contains("could not listen on 127.0.0.1:" + serve.port);
        }
    }
}
