package dev.scoria.cli;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.auth.TokenPolicy;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceState;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import dev.scoria.store.sql.DatabaseUrl;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scoria serve}: runs the server in the foreground until interrupted. */
@Command(
        name = "serve",
        description = "Run the Scoria server in the foreground (Ctrl+C stops it).",
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--host",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "5001")
    int port;

    @Option(
            names = "--data-dir",
            description = "Where models, services and keys are kept (default: ${DEFAULT-VALUE}).",
            defaultValue = "scoria-data")
    Path dataDir;

    @Option(
            names = "--demo",
            description = "Register the demo model and deploy it as service 'myservice' (if missing).")
    boolean demo;

    @Option(
            names = "--max-body-mb",
            description = "Largest scoring request body in MiB (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int maxBodyMb;

    @Option(
            names = "--event-loops",
            paramLabel = "N",
            description = "Event loops that serve the port, each taking its share of the connections"
                    + " (default: one per core).",
            defaultValue = "0")
    int eventLoops;

    @Option(
            names = "--max-bodies-in-flight-mb",
            paramLabel = "N",
            description = "Scoring request bodies the server holds at once, in MiB; a request whose body does not"
                    + " fit now is answered 503 with Retry-After before its body is read (default: a quarter of"
                    + " the heap).",
            defaultValue = "0")
    int maxBodiesInFlightMb;

    @Option(
            names = "--poll-micros",
            paramLabel = "MICROS",
            description = "How long an event loop with nothing to do polls its connections before it sleeps: a"
                    + " client's next request is then read without waking a sleeping core, at the price of that"
                    + " much CPU after each burst of requests. It does not poll while scoring runs off the loops"
                    + " (python workers, worker threads); 0 sleeps at once (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ServerConfig.DEFAULT_POLL_MICROS)
    int pollMicros;

    @Option(
            names = "--idle-timeout-s",
            paramLabel = "SECONDS",
            description = "Close a connection whose client sent nothing for this long: one stalled partway"
                    + " through a request (its body's room in --max-bodies-in-flight-mb is given back), or idle"
                    + " between requests. A request being scored is not cut short by it; 0 never closes one"
                    + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ServerConfig.DEFAULT_IDLE_TIMEOUT_SECONDS)
    int idleTimeoutSeconds;

    @Option(
            names = "--public-url",
            description = "Base URL to print in scoring URIs, e.g. https://models.example.com"
                    + " (default: the address each client used).")
    String publicUrl;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve /metrics (Prometheus) without auth on this"
                    + " separate port; by default it is on the main port and needs the admin token.")
    Integer metricsPort;

    @Option(
            names = "--access-log",
            description = "Log every request as a JSON line on standard error (off by default:"
                    + " it costs about a sixth of peak throughput).")
    boolean accessLog;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Serve HTTPS (TLS 1.2/1.3) with this certificate chain.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--tls-self-signed",
            description = "Serve HTTPS with a self-signed certificate made once and kept in"
                    + " <data-dir>/tls (for local use).")
    boolean tlsSelfSigned;

    @Option(
            names = "--token-refresh-minutes",
            defaultValue = "60",
            description = "Access tokens should be renewed after this long (default: ${DEFAULT-VALUE}).")
    long tokenRefreshMinutes;

    @Option(
            names = "--token-expiry-minutes",
            defaultValue = "720",
            description = "Access tokens stop working this long after their refresh time (default: ${DEFAULT-VALUE}).")
    long tokenExpiryMinutes;

    @Option(
            names = "--database",
            paramLabel = "URL",
            defaultValue = "${env:SCORIA_DATABASE_URL}",
            description = "Keep the workspace in this PostgreSQL database (postgresql://USER:PASSWORD@HOST:PORT/DB, or"
                    + " jdbc:postgresql://...), shared by every replica that names it; env SCORIA_DATABASE_URL. Default:"
                    + " SQLite in --data-dir.")
    String database;

    @Option(
            names = "--replica-id",
            paramLabel = "ID",
            description = "This replica's name among those sharing the database"
                    + " (default: host:port; on Kubernetes, the pod name).")
    String replicaId;

    @Option(
            names = "--drain-timeout-seconds",
            defaultValue = "30",
            description = "On SIGTERM, how long to wait for requests"
                    + " in flight before exiting (default: ${DEFAULT-VALUE}).")
    int drainTimeoutSeconds;

    @Option(
            names = "--shutdown-delay-seconds",
            defaultValue = "0",
            description = "On SIGTERM, keep accepting requests this"
                    + " long after /ready turned 503, until a load balancer has noticed (default: ${DEFAULT-VALUE}; on"
                    + " Kubernetes a preStop sleep does this).")
    int shutdownDelaySeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (maxBodyMb < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--max-body-mb must be at least 1, saw " + maxBodyMb);
        }
        ServerConfig.Tls tls = null;
        if (tlsSelfSigned || tlsCert != null || tlsKey != null) {
            if (tlsSelfSigned ? tlsCert != null || tlsKey != null : tlsCert == null || tlsKey == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "HTTPS needs --tls-cert and --tls-key together, or --tls-self-signed alone");
            }
            tls = new ServerConfig.Tls(tlsCert, tlsKey, tlsSelfSigned);
        }
        if (eventLoops < 0 || eventLoops > ServerConfig.MAX_EVENT_LOOPS) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--event-loops must be 1 to " + ServerConfig.MAX_EVENT_LOOPS + " (or 0 for the default), saw "
                            + eventLoops);
        }
        if (maxBodiesInFlightMb < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--max-bodies-in-flight-mb must be 1 or more (or 0 for the default), saw " + maxBodiesInFlightMb);
        }
        if (pollMicros < 0 || pollMicros > ServerConfig.MAX_POLL_MICROS) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--poll-micros must be 0 to " + ServerConfig.MAX_POLL_MICROS + ", saw " + pollMicros);
        }
        if (idleTimeoutSeconds < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--idle-timeout-s must be 0 (never) or more, saw " + idleTimeoutSeconds);
        }
        if (tokenRefreshMinutes < 1 || tokenExpiryMinutes < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--token-refresh-minutes must be at least 1 and --token-expiry-minutes at least 0");
        }
        if (drainTimeoutSeconds < 0 || shutdownDelaySeconds < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--drain-timeout-seconds and --shutdown-delay-seconds must be 0 or more");
        }
        if (database != null && database.isBlank()) {
            database = null;
        }
        if (database != null) {
            try {
                DatabaseUrl.parse(database);
            } catch (ScoriaException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--database: " + e.getMessage());
            }
        }
        ScoriaServer server = ScoriaServer.start(ServerConfig.builder()
                .host(host)
                .port(port)
                .dataDir(dataDir)
                .databaseUrl(database)
                .replicaId(replicaId)
                .adminTokenFromEnvironment(System.getenv("SCORIA_ADMIN_TOKEN"))
                .drainTimeout(Duration.ofSeconds(drainTimeoutSeconds))
                .shutdownDelay(Duration.ofSeconds(shutdownDelaySeconds))
                .maxBodyBytes((long) maxBodyMb * 1024 * 1024)
                .eventLoops(eventLoops)
                .pollMicros(pollMicros)
                .idleTimeoutSeconds(idleTimeoutSeconds)
                .maxBodiesInFlightBytes((long) maxBodiesInFlightMb * 1024 * 1024)
                .publicUrl(publicUrl)
                .tls(tls)
                .metricsPort(metricsPort == null ? -1 : metricsPort)
                .accessLog(accessLog)
                .tokenPolicy(new TokenPolicy(
                        Duration.ofMinutes(tokenRefreshMinutes), Duration.ofMinutes(tokenExpiryMinutes)))
                .build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.drainAndClose();
                            stopped.countDown();
                        },
                        "scoria-shutdown"));
        out.println("Scoria " + ScoriaServer.VERSION + " is serving " + server.baseUrl() + "  (data: "
                + server.dataDir() + ")");
        out.println("Web console: " + server.baseUrl() + "/console/  (sign in with the admin token)");
        if (tlsSelfSigned) {
            out.println("HTTPS with a self-signed certificate: clients must trust "
                    + server.dataDir().resolve("tls").resolve("self-signed-cert.pem") + " (curl --cacert FILE)");
        }
        if (database != null) {
            out.println("Replica " + server.replicaId() + " of the workspace in " + DatabaseUrl.redact(database));
        }
        if (server.adminTokenCreated()) {
            out.println("Admin token (created now; shown once, kept in "
                    + server.dataDir().resolve("admin-token") + "):");
            out.println("  " + server.adminToken());
        }
        if (demo) {
            ServiceRecord service = DemoService.ensure(server, 120_000);
            printService(out, server, service);
        }
        out.println();
        out.println("Press Ctrl+C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    private static void printService(PrintWriter out, ScoriaServer server, ServiceRecord service) {
        String prefix = server.baseUrl() + "/api/v1/service/" + service.name();
        out.println();
        out.println("Service '" + service.name() + "' is " + service.state()
                + (service.state() == ServiceState.Failed ? ": " + service.error() : ""));
        out.println("  Scoring URI:  " + prefix + "/score");
        out.println("  Swagger URI:  " + prefix + "/swagger.json");
        out.println("  Primary key:  " + service.keys().primary());
        out.println();
        out.println("Try it:");
        out.println("  curl -s " + prefix + "/score \\");
        out.println("    -H \"Authorization: Bearer " + service.keys().primary() + "\" \\");
        out.println("    -H \"Content-Type: application/json\" \\");
        out.println("    -d '" + DemoService.sampleRequest() + "'");
    }
}
