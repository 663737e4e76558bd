package dev.scoria.cli;

import dev.scoria.client.Workspace;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a client command finds its server and admin token: {@code --server} or SCORIA_URL (default
 * the local server), and SCORIA_TOKEN or else the token file in {@code --data-dir}, so that commands
 * run next to {@code scoria serve} need no set-up.
 */
final class ClientOptions {

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Scoria server (default: $SCORIA_URL, else http://127.0.0.1:5001).")
    String server;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where to find the admin token when $SCORIA_TOKEN is not set (default: ./scoria-data).")
    Path dataDir;

    @Option(
            names = "--cacert",
            paramLabel = "PEM",
            description =
                    "Trust this certificate for an HTTPS server, e.g. <data-dir>/tls/self-signed-cert.pem (default: $SCORIA_CA_CERT).")
    Path caCert;

    Workspace connect() {
        String url = server != null ? server : env("SCORIA_URL", "http://127.0.0.1:5001");
        String from = server != null ? "--server" : "SCORIA_URL";
        Path ca = caCert != null
                ? caCert
                : System.getenv("SCORIA_CA_CERT") == null ? null : Path.of(System.getenv("SCORIA_CA_CERT"));
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            // Checked here rather than left to the SDK so the message says where the URL came from.
            throw new CliErrors.CliFailure(
                    from + " is '" + url
                            + "': expected an http:// or https:// URL with a host, e.g. http://127.0.0.1:5001",
                    CliErrors.USAGE);
        }
        return Workspace.connect(uri, token(), ca == null ? null : TrustedCertificate.sslContext(ca));
    }

    /** The admin token file this command would read, or null when the token comes from the environment. */
    Path tokenFile() {
        String fromEnv = System.getenv("SCORIA_TOKEN");
        return fromEnv != null && !fromEnv.isBlank()
                ? null
                : (dataDir != null ? dataDir : Path.of("scoria-data")).resolve("admin-token");
    }

    private String token() {
        String fromEnv = System.getenv("SCORIA_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Path file = (dataDir != null ? dataDir : Path.of("scoria-data")).resolve("admin-token");
        if (!Files.exists(file)) {
            throw new CliErrors.CliFailure(
                    "no admin token: set SCORIA_TOKEN, or run next to the server's data directory" + " (looked for "
                            + file.toAbsolutePath() + "; change it with --data-dir)",
                    2);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new CliErrors.CliFailure("could not read the admin token from " + file + ": " + e.getMessage(), 2);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
