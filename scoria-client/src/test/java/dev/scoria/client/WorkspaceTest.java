package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void dropsTrailingSlashesSoPathsJoinCleanly() {
        Workspace ws = Workspace.connect("http://127.0.0.1:5001//", "t");
        assertThat(ws.url()).isEqualTo(URI.create("http://127.0.0.1:5001"));
        assertThat(ws.transport().resolve("/api/v1/operations/7"))
                .isEqualTo(URI.create("http://127.0.0.1:5001/api/v1/operations/7"));
        assertThat(ws.transport().resolve("http://elsewhere:1/x")).isEqualTo(URI.create("http://elsewhere:1/x"));
    }

    @Test
    void keepsAPathPrefixForAServerBehindAProxy() {
        Workspace ws = Workspace.connect("https://ml.example.com/scoria/", "t");
        assertThat(ws.transport().resolve("/api/v1/models"))
                .isEqualTo(URI.create("https://ml.example.com/scoria/api/v1/models"));
    }

    @Test
    void refusesWhatIsNotAnHttpUrlOrAMissingToken() {
        assertThatThrownBy(() -> Workspace.connect("127.0.0.1:5001", "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> Workspace.connect("ftp://h/", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Workspace.connect("http://h", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin token");
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(Workspace.connect("http://h:1", "secret-token").toString()).isEqualTo("Workspace[http://h:1]");
    }

    @Test
    void fromEnvironmentUsesScoriaUrlAndToken() {
        Workspace ws = Workspace.fromEnvironment(
                Map.of("SCORIA_URL", "http://10.0.0.1:8080", "SCORIA_TOKEN", "t"), dir.resolve("none"));
        assertThat(ws.url()).isEqualTo(URI.create("http://10.0.0.1:8080"));
    }

    @Test
    void fromEnvironmentDefaultsTheUrlAndReadsTheTokenFileOfADefaultServer() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("admin-token"), "from-file\n");
        Workspace ws = Workspace.fromEnvironment(Map.of(), tokenFile);
        assertThat(ws.url()).isEqualTo(URI.create(Workspace.DEFAULT_URL));
    }

    @Test
    void fromEnvironmentWithoutAnyTokenSaysWhatToSet() {
        assertThatThrownBy(() -> Workspace.fromEnvironment(Map.of(), dir.resolve("none")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SCORIA_TOKEN");
    }

    @Test
    void anUnreachableServerIsAWebserviceExceptionNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Workspace ws = Workspace.connect("http://127.0.0.1:" + port, "t");
        assertThatThrownBy(() -> Model.list(ws)).isInstanceOfSatisfying(WebserviceException.class, e -> {
            assertThat(e.statusCode()).isZero();
            assertThat(e).hasMessageContaining("http://127.0.0.1:" + port).hasMessageContaining("could not be reached");
        });
    }
}
