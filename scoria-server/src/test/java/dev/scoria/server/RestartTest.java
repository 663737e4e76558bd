package dev.scoria.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.service.KeyType;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart loses no model, service or key, and the admin token is kept private. */
class RestartTest {

    @TempDir
    Path dir;

    @Test
    void aRestartedServerServesTheSameServiceWithTheSameKeys() throws Exception {
        ServiceKeys keys;
        String token;
        try (TestServer first = TestServer.start(dir)) {
            assertThat(first.server.adminTokenCreated()).isTrue();
            first.server.services().regenerateKey(DemoService.SERVICE, KeyType.Secondary, null);
            keys = first.server.services().get(DemoService.SERVICE).keys();
            token = first.server.adminToken();
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("admin-token")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try (TestServer second = TestServer.start(dir)) {
            assertThat(second.server.adminTokenCreated()).isFalse();
            assertThat(second.server.adminToken()).isEqualTo(token);
            assertThat(second.server.models().list(null, Map.of(), false)).hasSize(1);
            assertThat(second.server.services().get(DemoService.SERVICE).state())
                    .isEqualTo(ServiceState.Healthy);
            assertThat(second.server.services().get(DemoService.SERVICE).keys()).isEqualTo(keys);
            HttpResponse<String> r = second.score(keys.secondary(), "application/json", DemoService.sampleRequest());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
        }
    }

    @Test
    void aCorruptedModelFileIsReportedNotServed() throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            assertThat(first.server.services().get(DemoService.SERVICE).state()).isEqualTo(ServiceState.Healthy);
        }
        String sha = null;
        try (var files = Files.walk(dir.resolve("artifacts"))) {
            for (Path p : files.filter(Files::isRegularFile)
                    .filter(p -> !p.getParent().getFileName().toString().equals("tmp"))
                    .toList()) {
                Files.write(p, new byte[] {1, 2, 3});
                sha = p.getFileName().toString();
            }
        }
        try (TestServer second = TestServer.start(dir)) {
            var service = second.server.services().get(DemoService.SERVICE);
            assertThat(service.state()).isEqualTo(ServiceState.Failed);
            assertThat(service.error()).contains("is corrupted: expected sha256 " + sha);
        }
    }
}
