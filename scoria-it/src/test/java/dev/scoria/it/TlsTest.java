package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS: TLS 1.2 and 1.3 only, checked with openssl s_client; real clients over it; certificates from files. */
class TlsTest {

    @TempDir
    Path work;

    static String handshake(int port, String version) throws Exception {
        // SECLEVEL=0 lets openssl itself offer the old versions, so a refusal is the server's.
        Process p = new ProcessBuilder(
                        "openssl",
                        "s_client",
                        "-connect",
                        "127.0.0.1:" + port,
                        "-" + version,
                        "-cipher",
                        "DEFAULT@SECLEVEL=0")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aSelfSignedServerSpeaksOnlyTls12And13() throws Exception {
        try (CliProcess.Server serve = new CliProcess.Server(work, "--demo", "--tls-self-signed")) {
            String scoringUri = serve.printed("Scoring URI:");
            assertThat(scoringUri).startsWith("https://127.0.0.1:" + serve.port + "/");
            assertThat(handshake(serve.port, "tls1"))
                    .contains("alert protocol version")
                    .contains("Cipher is (NONE)");
            assertThat(handshake(serve.port, "tls1_1"))
                    .contains("alert protocol version")
                    .contains("Cipher is (NONE)");
            assertThat(handshake(serve.port, "tls1_2")).contains("New, TLSv1.2, Cipher is ECDHE");
            assertThat(handshake(serve.port, "tls1_3")).contains("New, TLSv1.3, Cipher is TLS_");

            String cert = work.resolve("scoria-data/tls/self-signed-cert.pem").toString();
            String answer = run(
                    work,
                    "curl",
                    "-sS",
                    "--fail-with-body",
                    "--cacert",
                    cert,
                    scoringUri,
                    "-H",
                    "Authorization: Bearer " + serve.printed("Primary key:"),
                    "-H",
                    "Content-Type: application/json",
                    "-d",
                    ServeDemoTest.REQUEST);
            assertThat(answer).isEqualTo("[217.67978776218715,224.78937091757172]");

            CliProcess.Result listed = CliProcess.run(
                    work, Map.of("SCORIA_URL", "https://127.0.0.1:" + serve.port), "service", "list", "--cacert", cert);
            assertThat(listed.exitCode()).as(listed.toString()).isZero();
            assertThat(listed.out()).contains("https://127.0.0.1:" + serve.port + "/api/v1/service/myservice/score");
            CliProcess.Result untrusted =
                    CliProcess.run(work, Map.of("SCORIA_URL", "https://127.0.0.1:" + serve.port), "service", "list");
            assertThat(untrusted.exitCode()).isEqualTo(3);
        }
    }

    @Test
    void aCertificateAndKeyFromFilesAreServed() throws Exception {
        run(
                work,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                "key.pem",
                "-out",
                "cert.pem");
        try (CliProcess.Server serve =
                new CliProcess.Server(work, "--demo", "--tls-cert", "cert.pem", "--tls-key", "key.pem")) {
            assertThat(handshake(serve.port, "tls1_3"))
                    .contains("New, TLSv1.3, Cipher is TLS_")
                    .contains("subject=CN = localhost");
            String answer = run(
                    work,
                    "curl",
                    "-sS",
                    "--fail-with-body",
                    "--cacert",
                    "cert.pem",
                    serve.printed("Scoring URI:"),
                    "-H",
                    "Authorization: Bearer " + serve.printed("Primary key:"),
                    "-H",
                    "Content-Type: application/json",
                    "-d",
                    ServeDemoTest.REQUEST);
            assertThat(answer).isEqualTo("[217.67978776218715,224.78937091757172]");
        }
        CliProcess.Result half = CliProcess.run(work, Map.of(), "serve", "--tls-cert", "cert.pem");
        assertThat(half.exitCode()).isEqualTo(2);
        assertThat(half.err()).contains("--tls-cert and --tls-key together");

        // A key the certificate was not made for: refused at start, not a server whose every handshake fails.
        run(work, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.pem");
        CliProcess.Result mismatched = CliProcess.run(
                work, Map.of(), "serve", "--port", "0", "--tls-cert", "cert.pem", "--tls-key", "other.pem");
        assertThat(mismatched.exitCode()).as(mismatched.err()).isNotZero();
        assertThat(mismatched.err())
                .contains("--tls-key other.pem does not match the certificate in --tls-cert cert.pem")
                .doesNotContain("another server using that port");
        CliProcess.Result swapped = CliProcess.run(
                work, Map.of(), "serve", "--port", "0", "--tls-cert", "key.pem", "--tls-key", "cert.pem");
        assertThat(swapped.exitCode()).as(swapped.err()).isNotZero();
        assertThat(swapped.err()).contains("--tls-cert key.pem holds no certificate");
    }
}
