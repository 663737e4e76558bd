package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.client.AccessRole;
import dev.scoria.client.AccessTokenInfo;
import dev.scoria.client.AuditEntry;
import dev.scoria.client.CreatedAccessToken;
import dev.scoria.client.KeyType;
import dev.scoria.client.Webservice;
import dev.scoria.client.WebserviceException;
import dev.scoria.client.Workspace;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java SDK's access-token and audit calls against a real server, and a workspace connected with an access token. */
class AccessSdkTest {

    @TempDir
    static Path dataDir;

    static ScoriaServer server;
    static Workspace admin;

    @BeforeAll
    static void start() throws Exception {
        server = ScoriaServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dataDir)
                .build());
        DemoService.ensure(server, 60_000);
        admin = Workspace.connect(server.baseUrl(), server.adminToken());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createConnectWithRefuseRevokeAndAudit() {
        Instant before = Instant.now();
        CreatedAccessToken keys =
                admin.createAccessToken(AccessRole.KEYS, List.of("my*"), Duration.ofHours(2), "rotation job");
        AccessTokenInfo info = keys.info();
        assertThat(info.role()).isEqualTo(AccessRole.KEYS);
        assertThat(info.services()).containsExactly("my*");
        assertThat(info.description()).isEqualTo("rotation job");
        assertThat(info.createdBy()).isEqualTo("admin");
        assertThat(info.state()).isEqualTo("Active");
        assertThat(info.expiresTime())
                .hasValueSatisfying(t -> assertThat(t)
                        .isBetween(
                                before.plus(Duration.ofHours(2)).minusSeconds(5),
                                before.plus(Duration.ofHours(2)).plusSeconds(5)));
        assertThat(keys.token()).startsWith("scoria_" + info.id() + "_");
        assertThat(keys.toString()).doesNotContain(keys.token());

        Workspace asKeys = Workspace.connect(server.baseUrl(), keys.token());
        Webservice service = new Webservice(asKeys, DemoService.SERVICE);
        String oldPrimary = service.getKeys().primaryKey();
        String newPrimary = service.regenKey(KeyType.Primary).primaryKey();
        assertThat(newPrimary).isNotEqualTo(oldPrimary);
        assertThatThrownBy(() -> asKeys.accessTokens())
                .isInstanceOf(WebserviceException.class)
                .hasMessageContaining("cannot list access tokens (needs role admin)")
                .satisfies(
                        e -> assertThat(((WebserviceException) e).statusCode()).isEqualTo(403));

        CreatedAccessToken forever = admin.createAccessToken(AccessRole.READER, null, null, null);
        assertThat(forever.info().expiresTime()).isEmpty();
        assertThat(admin.accessTokens())
                .extracting(AccessTokenInfo::id)
                .containsExactly(info.id(), forever.info().id());

        AccessTokenInfo revoked = admin.revokeAccessToken(info.id());
        assertThat(revoked.state()).isEqualTo("Revoked");
        assertThat(revoked.revokedTime()).isPresent();
        assertThatThrownBy(service::getKeys)
                .isInstanceOf(WebserviceException.class)
                .hasMessageContaining("was revoked")
                .satisfies(
                        e -> assertThat(((WebserviceException) e).statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> admin.revokeAccessToken("nosuchtoken0"))
                .isInstanceOf(WebserviceException.class)
                .satisfies(
                        e -> assertThat(((WebserviceException) e).statusCode()).isEqualTo(404));

        List<AuditEntry> audit = admin.audit(before, 1000);
        assertThat(audit)
                .anySatisfy(e -> {
                    assertThat(e.credentialId()).contains(info.id());
                    assertThat(e.role()).contains(AccessRole.KEYS);
                    assertThat(e.method()).isEqualTo("POST");
                    assertThat(e.path()).isEqualTo("/api/v1/services/myservice/regenerateKeys");
                    assertThat(e.service()).contains("myservice");
                    assertThat(e.status()).isEqualTo(200);
                    assertThat(e.replica()).isEqualTo(server.replicaId());
                })
                .anySatisfy(e -> {
                    assertThat(e.credentialId()).contains(info.id());
                    assertThat(e.role()).isEmpty();
                    assertThat(e.status()).isEqualTo(401);
                });
        assertThat(audit).extracting(AuditEntry::time).isSorted();
        assertThat(admin.audit(null, 2)).hasSize(2);
        assertThat(admin.audit(Instant.now().plus(Duration.ofDays(1)), 10)).isEmpty();
    }
}
