package dev.scoria.server;

import dev.scoria.core.auth.TokenPolicy;
import dev.scoria.server.http.BodyBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a server is started. Immutable; build with {@link #builder()}.
 *
 * @param port 0 picks a free port (tests)
 * @param maxBodyBytes the largest scoring request body; larger ones get 413 before they are read
 * @param maxModelBytes the largest model upload
 * @param publicUrl the base URL clients should use in scoring URIs, or null to use the address each
 *     management call came in on
 * @param databaseUrl a PostgreSQL workspace shared by replicas ({@code postgresql://…}), or null for the
 *     embedded SQLite file in the data directory
 * @param replicaId this replica's name among those sharing the database, or null for host:port
 * @param adminTokenFromEnvironment the admin token a new shared workspace is created with, or null
 * @param drainTimeout how long a stopping server waits for requests in flight
 * @param shutdownDelay how long a stopping server keeps accepting requests after its readiness turned 503,
 *     so that a load balancer notices before connections are refused
 * @param eventLoops how many event loops serve the port (each takes its share of the connections), or 0
 *     for {@link #defaultEventLoops()}
 * @param pollMicros how long an event loop with nothing to do polls its sockets before it sleeps (0: it sleeps
 *     at once); see {@code PollBeforeSleep}
 * @param maxBodiesInFlightBytes how many bytes of scoring request bodies the server holds at once, or 0 for
 *     {@link BodyBudget#defaultLimit()}; see {@link BodyBudget}
 * @param idleTimeoutSeconds how long a connection may wait on its client (for the rest of a request, or for
 *     the next one) before it is closed; 0 never closes one for that; see {@code IdleConnections}
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        long maxBodyBytes,
        long maxModelBytes,
        String publicUrl,
        Tls tls,
        TokenPolicy tokenPolicy,
        int metricsPort,
        boolean accessLog,
        String databaseUrl,
        String replicaId,
        String adminTokenFromEnvironment,
        Duration drainTimeout,
        Duration shutdownDelay,
        int eventLoops,
        int pollMicros,
        long maxBodiesInFlightBytes,
        int idleTimeoutSeconds) {

    /**
     * HTTPS settings: a PEM certificate chain and key, or a self-signed certificate the server makes
     * (and keeps in the data directory) for local use. Null {@link ServerConfig#tls()} means plain HTTP.
     */
    public record Tls(Path certPath, Path keyPath, boolean selfSigned) {
        public Tls {
            if (selfSigned == (certPath != null) || (certPath == null) != (keyPath == null)) {
                throw new IllegalArgumentException("TLS needs either a certificate and a key (--tls-cert and --tls-key)"
                        + " or --tls-self-signed, not both");
            }
        }
    }

    public static final int DEFAULT_PORT = 5001;
    public static final long DEFAULT_MAX_BODY_BYTES = 100L * 1024 * 1024;
    public static final int MAX_EVENT_LOOPS = 256;
    public static final int MAX_POLL_MICROS = 10_000;
    /**
     * Long enough for a client that waits on each answer to send its next request (on the 2-core benchmark
     * machine, one connection's requests a second rose 1.6-1.7 times with 50 or 100 µs; 8 connections did
     * not move, nor 64 with 100 µs), short enough that an idle server spends nothing worth counting: 50 µs
     * after each burst.
     */
    public static final int DEFAULT_POLL_MICROS = 50;
    /**
     * A client that sent nothing for this long has stalled or gone: its connection, and the room its declared
     * body holds in the {@link BodyBudget}, are given back. Long enough for a client on a slow link between
     * two parts of a body, and for a pooling client between requests (load balancers keep idle connections
     * for about as long: AWS ALB 60 s, nginx's keepalive_timeout 75 s); a request being scored is not
     * waiting on its client, and is bounded by its service's scoringTimeoutMs instead.
     */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port is " + port + ": expected 0 to 65535");
        }
        if (eventLoops < 0 || eventLoops > MAX_EVENT_LOOPS) {
            throw new IllegalArgumentException(
                    "event loops is " + eventLoops + ": expected 1 to " + MAX_EVENT_LOOPS + ", or 0 for the default");
        }
        if (maxBodiesInFlightBytes < 0) {
            throw new IllegalArgumentException("bodies in flight limit is " + maxBodiesInFlightBytes
                    + " bytes: expected more than 0, or 0 for" + " the default");
        }
        if (idleTimeoutSeconds < 0) {
            throw new IllegalArgumentException(
                    "idle timeout is " + idleTimeoutSeconds + " s: expected 0 (never) or more");
        }
        if (pollMicros < 0 || pollMicros > MAX_POLL_MICROS) {
            throw new IllegalArgumentException(
                    "poll time is " + pollMicros + " µs: expected 0 (sleep at once) to " + MAX_POLL_MICROS);
        }
    }

    /** The bytes of request bodies held at once: as configured, else a share of the heap. */
    public long bodiesInFlightLimit() {
        return maxBodiesInFlightBytes > 0 ? maxBodiesInFlightBytes : BodyBudget.defaultLimit();
    }

    /** The event loops that serve the port: as configured, else {@link #defaultEventLoops()}. */
    public int eventLoopCount() {
        return eventLoops > 0 ? eventLoops : defaultEventLoops();
    }

    /**
     * One per core. Each loop reads its connections, scores their small requests inline and writes the answers;
     * large requests and python workers run beside them. On two cores with the load generator beside the server,
     * two loops served as many single-row requests as one at 8 connections, up to 15 % more at 64 and 24-39 %
     * more at 256 (bench/RESULTS.md, session 6).
     */
    public static int defaultEventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ServerConfig}; every setting has the default {@code scoria serve} uses. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of("scoria-data");
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long maxModelBytes = 2L * 1024 * 1024 * 1024;
        private String publicUrl;
        private Tls tls;
        private TokenPolicy tokenPolicy = TokenPolicy.DEFAULT;
        private int metricsPort = -1;
        private int eventLoops;
        private int pollMicros = DEFAULT_POLL_MICROS;
        private long maxBodiesInFlightBytes;
        private int idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS;
        private boolean accessLog;
        private String databaseUrl;
        private String replicaId;
        private String adminTokenFromEnvironment;
        private Duration drainTimeout = Duration.ofSeconds(30);
        private Duration shutdownDelay = Duration.ZERO;

        /** A PostgreSQL URL shared by replicas; null (default) for SQLite in the data directory. */
        public Builder databaseUrl(String databaseUrl) {
            this.databaseUrl = databaseUrl;
            return this;
        }

        public Builder replicaId(String replicaId) {
            this.replicaId = replicaId;
            return this;
        }

        public Builder adminTokenFromEnvironment(String token) {
            this.adminTokenFromEnvironment = token;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder shutdownDelay(Duration shutdownDelay) {
            this.shutdownDelay = shutdownDelay;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder maxModelBytes(long maxModelBytes) {
            this.maxModelBytes = maxModelBytes;
            return this;
        }

        public Builder publicUrl(String publicUrl) {
            this.publicUrl = publicUrl;
            return this;
        }

        public Builder tls(Tls tls) {
            this.tls = tls;
            return this;
        }

        public Builder tokenPolicy(TokenPolicy tokenPolicy) {
            this.tokenPolicy = tokenPolicy;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    host,
                    port,
                    dataDir,
                    maxBodyBytes,
                    maxModelBytes,
                    publicUrl,
                    tls,
                    tokenPolicy,
                    metricsPort,
                    accessLog,
                    databaseUrl,
                    replicaId,
                    adminTokenFromEnvironment,
                    drainTimeout,
                    shutdownDelay,
                    eventLoops,
                    pollMicros,
                    maxBodiesInFlightBytes,
                    idleTimeoutSeconds);
        }

        /** How many event loops serve the port; 0 (default): {@link ServerConfig#defaultEventLoops()}. */
        public Builder eventLoops(int eventLoops) {
            this.eventLoops = eventLoops;
            return this;
        }

        /** How long an idle event loop polls its sockets before it sleeps, in µs; 0: it sleeps at once. */
        public Builder pollMicros(int pollMicros) {
            this.pollMicros = pollMicros;
            return this;
        }

        /** Bytes of scoring request bodies held at once; 0 (default): {@link BodyBudget#defaultLimit()}. */
        public Builder maxBodiesInFlightBytes(long maxBodiesInFlightBytes) {
            this.maxBodiesInFlightBytes = maxBodiesInFlightBytes;
            return this;
        }

        /** Seconds a connection may wait on its client before it is closed; 0: never. */
        public Builder idleTimeoutSeconds(int idleTimeoutSeconds) {
            this.idleTimeoutSeconds = idleTimeoutSeconds;
            return this;
        }

        /** Write a JSON access log line per request to standard error (logger {@code scoria.access}). */
        public Builder accessLog(boolean accessLog) {
            this.accessLog = accessLog;
            return this;
        }

        /** Serve {@code /metrics} without auth on this separate port (0: any free one); -1 (default): on the main port, admin only. */
        public Builder metricsPort(int metricsPort) {
            this.metricsPort = metricsPort;
            return this;
        }
    }
}
