package dev.scoria.server;

import dev.scoria.core.access.AccessTokens;
import dev.scoria.core.access.AuditLog;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.auth.AdminToken;
import dev.scoria.core.auth.TokenService;
import dev.scoria.core.model.ModelRegistry;
import dev.scoria.core.runtime.RuntimeRegistry;
import dev.scoria.core.service.LiveServices;
import dev.scoria.core.service.Reconciler;
import dev.scoria.core.service.ReplicaHeartbeat;
import dev.scoria.core.service.ServiceControl;
import dev.scoria.core.service.ServiceLogs;
import dev.scoria.core.store.Store;
import dev.scoria.server.http.BaseUrls;
import dev.scoria.server.http.BodyBudget;
import dev.scoria.server.http.HttpApi;
import dev.scoria.server.http.HttpListeners;
import dev.scoria.server.http.InvalidRequests;
import dev.scoria.server.http.PollingTransport;
import dev.scoria.server.http.ServingMetrics;
import dev.scoria.store.sql.DatabaseUrl;
import dev.scoria.store.sql.SqlStore;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Scoria server: one workspace (a data directory) served on one port. */
public final class ScoriaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoriaServer.class);
    public static final String VERSION = "0.1.0";

    private final ServerConfig config;
    private final List<AutoCloseable> resources;
    private final Vertx vertx;
    private final HttpListeners http;
    private final ServiceControl services;
    private final LiveServices live;
    private final ModelRegistry models;
    private final AdminToken adminToken;
    private final ReplicaHeartbeat heartbeat;
    private final AtomicBoolean draining;
    private final ServiceLogs logs;
    private final String replicaId;
    private HttpServer metricsHttp;

    private ScoriaServer(
            ServerConfig config,
            List<AutoCloseable> resources,
            Vertx vertx,
            HttpListeners http,
            ServiceControl services,
            LiveServices live,
            ModelRegistry models,
            AdminToken adminToken,
            ReplicaHeartbeat heartbeat,
            AtomicBoolean draining,
            ServiceLogs logs,
            String replicaId) {
        this.config = config;
        this.resources = resources;
        this.vertx = vertx;
        this.http = http;
        this.services = services;
        this.live = live;
        this.models = models;
        this.adminToken = adminToken;
        this.heartbeat = heartbeat;
        this.draining = draining;
        this.logs = logs;
        this.replicaId = replicaId;
    }

    public static ScoriaServer start(ServerConfig config) throws Exception {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            if (config.accessLog()) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("scoria.access"))
                        .setLevel(ch.qos.logback.classic.Level.INFO);
            }
            Path data = config.dataDir().toAbsolutePath();
            Files.createDirectories(data);
            try {
                // The workspace holds every credential: its owner only.
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                LOG.warn("{} is not on a POSIX file system: restrict access to it yourself", data);
            } catch (FileSystemException e) {
                // A volume root owned by another user (a container's mounted volume): its mount decides who reads it.
                LOG.warn(
                        "could not restrict {} to its owner ({}): make sure only this server can read it",
                        data,
                        e.getMessage());
            }
            Store store = config.databaseUrl() == null
                    ? SqlStore.openSqlite(data.resolve("scoria.db"))
                    : SqlStore.openPostgres(DatabaseUrl.parse(config.databaseUrl()));
            opened.add(store);
            String replicaId = config.replicaId() != null ? config.replicaId() : defaultReplicaId(config.port());
            AdminToken token = store.shared()
                    ? AdminToken.shared(store, data, config.adminTokenFromEnvironment())
                    : AdminToken.loadOrCreate(data);
            ArtifactStore artifacts =
                    new ArtifactStore(data.resolve("artifacts"), store.blobs().orElse(null));
            ModelRegistry models = new ModelRegistry(store, artifacts);
            // Every runtime module on the class path (one line in its META-INF/services file).
            RuntimeRegistry runtimes = RuntimeRegistry.discover(ScoriaServer.class.getClassLoader());
            opened.add(runtimes);
            TokenService tokens = new TokenService(store, config.tokenPolicy(), Clock.systemUTC());
            tokens.start();
            ServiceLogs logs = store.shared()
                    ? new ServiceLogs(data.resolve("logs"), store, replicaId)
                    : new ServiceLogs(data.resolve("logs"));
            opened.add(0, logs);
            LiveServices live = new LiveServices();
            Reconciler reconciler =
                    new Reconciler(store, models, artifacts, runtimes, logs, data.resolve("services"), live, replicaId);
            reconciler.afterResync(tokens::reload);
            reconciler.afterResync(token::reload);
            opened.add(0, reconciler);
            ServiceControl services = new ServiceControl(store, models, artifacts, runtimes, logs, reconciler);
            reconciler.start();
            opened.add(0, store.listen(reconciler));
            AtomicBoolean draining = new AtomicBoolean();
            AuditLog audit = new AuditLog(store);
            // Closed before the store (resources close first-added-last), so queued entries are written.
            opened.add(0, audit);

            // The port is served by eventLoops loops (HttpListeners); the pool has at least one per core, for what
            // else runs on a loop (the metrics listener), and no more: more would only contend for the same cores.
            int eventLoops = config.eventLoopCount();
            Vertx vertx = Vertx.builder()
                    .with(new VertxOptions()
                            .setEventLoopPoolSize(
                                    Math.max(eventLoops, Runtime.getRuntime().availableProcessors()))
                            .setFileSystemOptions(new FileSystemOptions()
                                    .setFileCachingEnabled(false)
                                    .setClassPathResolvingEnabled(false)))
                    .withTransport(PollingTransport.nio(config.pollMicros(), reconciler.offLoopWork()::none))
                    .build();
            opened.add(
                    0,
                    () -> vertx.close()
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS));
            Path uploads = data.resolve("uploads");
            Files.createDirectories(uploads);
            AtomicReference<HttpListeners> bound = new AtomicReference<>();
            String scheme = config.tls() == null ? "http" : "https";
            Supplier<String> fallbackUrl = () -> scheme + "://" + hostForUrl(config.host()) + ":"
                    + (bound.get() == null ? config.port() : bound.get().actualPort());
            HttpServer metricsHttp = null;
            ServingMetrics metrics = new ServingMetrics(live);
            // One for the process: every loop's requests take their bodies' room from the same heap.
            BodyBudget bodies = new BodyBudget(config.bodiesInFlightLimit());
            Gauge.builder("scoria.request.bodies.held", bodies, BodyBudget::held)
                    .description(
                            "Bytes of scoring request bodies being read or scored (limit: --max-bodies-in-flight-mb)")
                    .baseUnit("bytes")
                    .register(metrics.registry());
            // A request handler per event loop: Vert.x's routers and handlers belong to the loop that made them.
            Supplier<Handler<HttpServerRequest>> handlers = () -> HttpApi.handler(
                    vertx,
                    services,
                    live,
                    logs,
                    () -> !draining.get() && reconciler.ready(),
                    models,
                    runtimes,
                    artifacts,
                    token,
                    new AccessTokens(store, Clock.systemUTC()),
                    audit,
                    replicaId,
                    tokens,
                    new BaseUrls(config.publicUrl(), fallbackUrl),
                    config.maxBodyBytes(),
                    bodies,
                    config.maxModelBytes(),
                    uploads,
                    VERSION,
                    metrics,
                    config.metricsPort() < 0);
            if (config.metricsPort() >= 0) {
                metricsHttp = vertx.createHttpServer(
                                new HttpServerOptions().setHost(config.host()).setPort(config.metricsPort()))
                        .requestHandler(HttpApi.metricsRouter(vertx, metrics))
                        .listen()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
            HttpListeners http;
            try {
                HttpServerOptions options = new HttpServerOptions()
                        .setHost(config.host())
                        .setPort(config.port())
                        .setCompressionSupported(false);
                if (config.tls() != null) {
                    TlsFiles.configure(options, config.tls(), data, config.host());
                }
                InvalidRequests invalid = new InvalidRequests(InvalidRequests.codecLimits(options));
                // Closes a connection whose client stalls (IdleConnections); why 60 s by default:
                // DEFAULT_IDLE_TIMEOUT_SECONDS.
                http = HttpListeners.listen(
                        vertx,
                        options,
                        eventLoops,
                        () -> invalid.before(handlers.get()),
                        invalid,
                        config.idleTimeoutSeconds());
                bound.set(http);
            } catch (ExecutionException e) {
                // The port hint only when the port is the trouble: a TLS file Vert.x refuses fails here too.
                boolean portTaken = e.getCause() instanceof BindException
                        || String.valueOf(e.getCause().getMessage()).contains("Address already in use");
                throw new IllegalStateException(
                        "could not listen on " + config.host() + ":" + config.port() + ": "
                                + e.getCause().getMessage()
                                + (portTaken
                                        ? " (is another server using that port? try --port)"
                                        : config.tls() != null ? " (check the --tls-cert and --tls-key files)" : ""),
                        e.getCause());
            }
            Supplier<String> address = () -> config.publicUrl() != null ? config.publicUrl() : fallbackUrl.get();
            ReplicaHeartbeat heartbeat = new ReplicaHeartbeat(store, reconciler, services, address, VERSION);
            heartbeat.start();
            opened.add(0, heartbeat);
            ScoriaServer server = new ScoriaServer(
                    config, opened, vertx, http, services, live, models, token, heartbeat, draining, logs, replicaId);
            server.metricsHttp = metricsHttp;
            LOG.info(
                    "Scoria {} listening on {} (replica {}, data in {}, workspace in {})",
                    VERSION,
                    server.baseUrl(),
                    replicaId,
                    data,
                    config.databaseUrl() == null ? "SQLite" : DatabaseUrl.redact(config.databaseUrl()));
            return server;
        } catch (Exception e) {
            closeAll(opened);
            throw e;
        }
    }

    /** Host and port: stable across restarts of the same replica, distinct between replicas on one host. */
    private static String defaultReplicaId(int port) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":"
                + (port == 0 ? "p" + Long.toString(ProcessHandle.current().pid(), 36) : Integer.toString(port));
    }

    /**
     * Stops the way a load balancer needs: readiness answers 503 at once; requests keep being accepted for
     * the configured delay (while the balancer notices), then requests in flight finish within the drain
     * timeout, then everything closes.
     */
    public void drainAndClose() {
        draining.set(true);
        LOG.info(
                "draining: /ready answers 503; accepting requests for {} ms more, then finishing those in flight"
                        + " (up to {} s)",
                config.shutdownDelay().toMillis(),
                config.drainTimeout().toSeconds());
        try {
            Thread.sleep(config.shutdownDelay().toMillis());
            long timeout = Math.max(1, config.drainTimeout().toMillis());
            http.shutdown(timeout).toCompletionStage().toCompletableFuture().get(timeout + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("draining did not finish cleanly: {}", e.getMessage());
        }
        heartbeat.leave();
        logs.flush();
        close();
    }

    public int port() {
        return http.actualPort();
    }

    /** Where the server answers, e.g. {@code http://127.0.0.1:5001}. */
    public String baseUrl() {
        if (config.publicUrl() != null) {
            return config.publicUrl().replaceAll("/$", "");
        }
        return (config.tls() == null ? "http" : "https") + "://" + hostForUrl(config.host()) + ":" + port();
    }

    /** The port of the separate metrics listener, or -1 when metrics are on the main port. */
    public int metricsPort() {
        return metricsHttp == null ? -1 : metricsHttp.actualPort();
    }

    public String adminToken() {
        return adminToken.value();
    }

    /** Whether this start created the admin token (a new workspace): it is shown once, then. */
    public boolean adminTokenCreated() {
        return adminToken.created();
    }

    public Path dataDir() {
        return config.dataDir().toAbsolutePath();
    }

    public ServiceControl services() {
        return services;
    }

    /** What this replica serves now, as the data plane sees it. */
    public LiveServices live() {
        return live;
    }

    public String replicaId() {
        return replicaId;
    }

    public ModelRegistry models() {
        return models;
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("error while shutting down", e);
            }
        }
    }

    private static String hostForUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
