package dev.scoria.server;

import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.auth.AdminToken;
import dev.scoria.core.auth.TokenService;
import dev.scoria.core.model.ModelRegistry;
import dev.scoria.core.runtime.RuntimeRegistry;
import dev.scoria.core.service.ServiceLogs;
import dev.scoria.core.service.ServiceManager;
import dev.scoria.core.store.Store;
import dev.scoria.runtime.onnx.OnnxModelRuntime;
import dev.scoria.server.http.BaseUrls;
import dev.scoria.server.http.HttpApi;
import dev.scoria.server.http.ServingMetrics;
import dev.scoria.store.sql.SqlStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Scoria server: one workspace (a data directory) served on one port. */
public final class ScoriaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoriaServer.class);
    public static final String VERSION = "0.1.0";

    private final ServerConfig config;
    private final List<AutoCloseable> resources;
    private final Vertx vertx;
    private final HttpServer http;
    private final ServiceManager services;
    private final ModelRegistry models;
    private final AdminToken adminToken;
    private HttpServer metricsHttp;

    private ScoriaServer(ServerConfig config, List<AutoCloseable> resources, Vertx vertx, HttpServer http,
            ServiceManager services, ModelRegistry models, AdminToken adminToken) {
        this.config = config;
        this.resources = resources;
        this.vertx = vertx;
        this.http = http;
        this.services = services;
        this.models = models;
        this.adminToken = adminToken;
    }

    public static ScoriaServer start(ServerConfig config) throws Exception {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            if (config.accessLog()) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("scoria.access")).setLevel(ch.qos.logback.classic.Level.INFO);
            }
            Path data = config.dataDir().toAbsolutePath();
            Files.createDirectories(data);
            try {
                // The workspace holds every credential: its owner only.
                Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                LOG.warn("{} is not on a POSIX file system: restrict access to it yourself", data);
            }
            AdminToken token = AdminToken.loadOrCreate(data);
            Store store = SqlStore.openSqlite(data.resolve("scoria.db"));
            opened.add(store);
            ArtifactStore artifacts = new ArtifactStore(data.resolve("artifacts"));
            ModelRegistry models = new ModelRegistry(store, artifacts);
            RuntimeRegistry runtimes = new RuntimeRegistry(List.of(new OnnxModelRuntime(), new dev.scoria.runtime.java.JavaModelRuntime(),
                    new dev.scoria.runtime.python.PythonModelRuntime()));
            opened.add(runtimes);
            TokenService tokens = new TokenService(store, config.tokenPolicy(), java.time.Clock.systemUTC());
            tokens.start();
            ServiceManager services = new ServiceManager(store, models, artifacts, runtimes, new ServiceLogs(data.resolve("logs")),
                    data.resolve("services"));
            opened.add(0, services);
            services.start();

            // One event loop per core: more would only contend with the scoring threads for the same cores.
            Vertx vertx = Vertx.vertx(new VertxOptions()
                    .setEventLoopPoolSize(Math.max(1, java.lang.Runtime.getRuntime().availableProcessors()))
                    .setFileSystemOptions(
                    new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
            opened.add(0, () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            Path uploads = data.resolve("uploads");
            Files.createDirectories(uploads);
            java.util.concurrent.atomic.AtomicReference<HttpServer> bound = new java.util.concurrent.atomic.AtomicReference<>();
            String scheme = config.tls() == null ? "http" : "https";
            java.util.function.Supplier<String> fallbackUrl = () -> scheme + "://" + hostForUrl(config.host()) + ":"
                    + (bound.get() == null ? config.port() : bound.get().actualPort());
            HttpServer metricsHttp = null;
            ServingMetrics metrics = new ServingMetrics(services);
            var router = HttpApi.router(vertx, services, models, artifacts, token, tokens, new BaseUrls(config.publicUrl(), fallbackUrl),
                    config.maxBodyBytes(), config.maxModelBytes(), uploads, VERSION, metrics, config.metricsPort() < 0);
            if (config.metricsPort() >= 0) {
                metricsHttp = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.metricsPort()))
                        .requestHandler(HttpApi.metricsRouter(vertx, metrics)).listen()
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            HttpServer http;
            try {
                HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                        .setCompressionSupported(false);
                if (config.tls() != null) {
                    TlsFiles.configure(options, config.tls(), data, config.host());
                }
                http = vertx.createHttpServer(options)
                        .requestHandler(router)
                        .listen()
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                bound.set(http);
            } catch (ExecutionException e) {
                throw new IllegalStateException("could not listen on " + config.host() + ":" + config.port() + ": "
                        + e.getCause().getMessage() + " (is another server using that port? try --port)", e.getCause());
            }
            ScoriaServer server = new ScoriaServer(config, opened, vertx, http, services, models, token);
            server.metricsHttp = metricsHttp;
            LOG.info("Scoria {} listening on {} (data in {})", VERSION, server.baseUrl(), data);
            return server;
        } catch (Exception e) {
            closeAll(opened);
            throw e;
        }
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

    public ServiceManager services() {
        return services;
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
