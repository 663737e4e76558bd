package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.client.AccessToken;
import dev.scoria.client.AuthMode;
import dev.scoria.client.DeploymentConfig;
import dev.scoria.client.InferenceConfig;
import dev.scoria.client.Model;
import dev.scoria.client.Webservice;
import dev.scoria.client.WebserviceException;
import dev.scoria.client.WebserviceState;
import dev.scoria.client.Workspace;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token auth and workspace credentials through the Java SDK, against a real server. */
class SdkTokenTest {

    @TempDir
    static Path dir;

    static ScoriaServer server;
    static Workspace ws;

    @BeforeAll
    static void start() throws Exception {
        server = ScoriaServer.start(ServerConfig.builder().port(0).dataDir(dir).build());
        DemoService.ensure(server, 30_000);
        ws = Workspace.connect(server.baseUrl(), server.adminToken());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void getTokenAndRunOnATokenService() {
        Webservice service = Model.deploy(
                ws,
                "sdk-token",
                List.of(Model.get(ws, "diabetes", 1)),
                InferenceConfig.defaults(),
                DeploymentConfig.builder()
                        .authMode(AuthMode.TOKEN)
                        .corsOrigins(List.of("*"))
                        .build());
        assertThat(service.waitForDeployment(false)).isEqualTo(WebserviceState.Healthy);
        assertThat(service.authMode()).isEqualTo(AuthMode.TOKEN);
        assertThat(service.corsOrigins()).containsExactly("*");
        AccessToken token = service.getToken();
        assertThat(token.tokenType()).isEqualTo("Bearer");
        assertThat(token.refreshAfter()).isAfter(Instant.now());
        assertThat(token.shouldRefresh(Instant.now())).isFalse();
        assertThat(token.toString()).doesNotContain(token.accessToken());
        assertThat(service.run(DemoService.sampleRequest())).isEqualTo("[217.67978776218715,224.78937091757172]");

        // A rotated signing key leaves the cached token valid; run() goes on working.
        ws.rotateSigningKey();
        assertThat(service.run(DemoService.sampleRequest())).isEqualTo("[217.67978776218715,224.78937091757172]");
        assertThatThrownBy(() -> Webservice.get(ws, "myservice").getToken())
                .isInstanceOf(WebserviceException.class)
                .satisfies(
                        e -> assertThat(((WebserviceException) e).statusCode()).isEqualTo(400));
        service.delete();
    }

    @Test
    void workspaceInfoAndAdminTokenRotation() {
        var info = ws.info();
        assertThat(info.issuer()).startsWith("urn:scoria:workspace:");
        assertThat(info.jwksUri().toString()).isEqualTo(server.baseUrl() + "/api/v1/.well-known/jwks.json");
        assertThat(info.tokenRefreshAfterSeconds()).isEqualTo(3600);
        assertThat(info.tokenLifetimeSeconds()).isEqualTo(13 * 3600);
        String fresh = ws.rotateAdminToken();
        assertThatThrownBy(() -> Webservice.list(ws))
                .isInstanceOf(WebserviceException.class)
                .satisfies(
                        e -> assertThat(((WebserviceException) e).statusCode()).isEqualTo(401));
        ws = Workspace.connect(server.baseUrl(), fresh);
        assertThat(Webservice.list(ws)).extracting(Webservice::name).contains("myservice");
    }
}
