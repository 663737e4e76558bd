package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blue/green rollout from the command line, with the real jar in its own process: a {@code green}
 * deployment of the demo model beside {@code default}, tried through the pin header, given half the traffic,
 * taken back, mirrored, then removed, with the refusals a user meets on the way and their exit codes.
 */
class DeploymentCliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static ScoriaServer server;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        server = ScoriaServer.start(ServerConfig.builder()
                .port(0)
                .dataDir(work.resolve("scoria-data"))
                .build());
        DemoService.ensure(server, 30_000);
        env = Map.of("SCORIA_URL", server.baseUrl());
        Files.writeString(work.resolve("request.json"), DemoService.sampleRequest());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CliProcess.Result scoria(String... args) throws Exception {
        return CliProcess.run(work, env, args);
    }

    static CliProcess.Result ok(String... args) throws Exception {
        CliProcess.Result r = scoria(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    static CliProcess.Result refused(int exitCode, String... args) throws Exception {
        CliProcess.Result r = scoria(args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        return r;
    }

    @Test
    void aGreenDeploymentIsTriedSharedMirroredAndRemoved() throws Exception {
        CliProcess.Result created =
                ok("deployment", "create", "myservice", "green", "-m", "diabetes:1", "--max-batch-size", "4", "--wait");
        assertThat(created.out())
                .contains("Deployment green of service myservice: Healthy")
                .contains("Deployment:   green")
                .contains("State:        Healthy")
                .contains("Traffic:      0% live")
                .contains("Batching:     maxBatchSize=4");

        assertThat(ok("deployment", "list", "myservice").out())
                .containsPattern("(?m)^NAME\\s+STATE\\s+TRAFFIC\\s+MIRROR\\s+RUNTIME\\s+MODELS\\s+GENERATION$")
                .containsPattern("(?m)^default\\s+Healthy\\s+100%\\s+-\\s+onnx\\s+diabetes:1\\s+1$")
                .containsPattern("(?m)^green\\s+Healthy\\s+0%\\s+-\\s+onnx\\s+diabetes:1\\s+1$");
        JsonNode listed = JSON.readTree(
                ok("deployment", "list", "myservice", "-o", "json").out());
        assertThat(listed.findValuesAsText("name")).containsExactly("default", "green");
        assertThat(listed.get(1).path("maxBatchSize").asInt()).isEqualTo(4);
        assertThat(listed.get(1).path("primary").asBoolean()).isFalse();

        // Pinned: green answers before it takes any traffic; an unknown deployment is the server's 404.
        assertThat(ok("score", "myservice", "--data", "@request.json", "--deployment", "green")
                        .out()
                        .trim())
                .isEqualTo(CliTest.EXPECTED);
        assertThat(refused(1, "score", "myservice", "--data", "@request.json", "--deployment", "purple")
                        .err())
                .contains("service 'myservice' has no deployment 'purple'")
                .contains("HTTP 404");

        assertThat(ok("service", "traffic", "myservice", "default=50", "green=50")
                        .out())
                .containsPattern("(?m)^default\\s+Healthy\\s+50%")
                .containsPattern("(?m)^green\\s+Healthy\\s+50%");
        assertThat(refused(1, "service", "mirror", "myservice", "green=10").err())
                .contains("takes 50% of live traffic")
                .contains("HTTP 400");
        ok("service", "traffic", "myservice", "default=100", "green=0");

        assertThat(ok("service", "mirror", "myservice", "green=20").out())
                .containsPattern("(?m)^default\\s+Healthy\\s+100%\\s+-")
                .containsPattern("(?m)^green\\s+Healthy\\s+0%\\s+20%");
        assertThat(refused(1, "deployment", "delete", "myservice", "green").err())
                .contains("takes 20% mirror traffic")
                .contains("HTTP 409");
        ok("service", "mirror", "myservice", "--off");
        JsonNode split = JSON.readTree(
                ok("service", "traffic", "myservice", "-o", "json").out());
        assertThat(split.path("traffic").toString()).isEqualTo("{\"default\":100,\"green\":0}");
        assertThat(split.path("mirrorTraffic").toString()).isEqualTo("{}");

        JsonNode updated =
                JSON.readTree(ok("deployment", "update", "myservice", "green", "--max-batch-size", "2", "-o", "json")
                        .out());
        assertThat(updated.path("maxBatchSize").asInt()).isEqualTo(2);
        assertThat(updated.path("models").toString()).isEqualTo("[\"diabetes:1\"]");

        assertThat(ok("deployment", "delete", "myservice", "green").out())
                .contains("Deleted deployment green of service myservice");
        String shown = ok("service", "show", "myservice").out();
        assertThat(shown)
                .contains("Deployments:")
                .containsPattern("(?m)^  default\\s+Healthy\\s+100%")
                .doesNotContain("green");
        JsonNode service =
                JSON.readTree(ok("service", "show", "myservice", "-o", "json").out());
        assertThat(service.path("traffic").toString()).isEqualTo("{\"default\":100}");
        assertThat(service.path("deployments").findValuesAsText("name")).containsExactly("default");
        assertThat(refused(1, "deployment", "show", "myservice", "green").err())
                .contains("has no deployment 'green'")
                .contains("HTTP 404");
        assertThat(refused(1, "deployment", "delete", "myservice", "default").err())
                .contains("delete the service instead")
                .contains("HTTP 409");
    }

    @Test
    void aWrongCommandLineIsExitTwoBeforeTheServerIsAsked() throws Exception {
        assertThat(refused(2, "service", "traffic", "myservice", "green").err())
                .contains("'green' must be DEPLOYMENT=PERCENT");
        assertThat(refused(2, "service", "mirror", "myservice", "green=10", "--off")
                        .err())
                .contains("not both");
        assertThat(refused(2, "deployment", "update", "myservice", "default").err())
                .contains("nothing to change");
        assertThat(refused(2, "deployment", "create", "myservice", "green").err())
                .contains("nothing to deploy: give --model NAME:VERSION");
    }
}
