package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.client.Model;
import dev.scoria.client.Workspace;
import dev.scoria.store.sql.PostgresServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code scoria serve} replicas sharing one real PostgreSQL, behind a real haproxy (health checks
 * on {@code /ready}), driven as an operator would: deploy on one replica and score through the balancer,
 * rotate a key on another, read the merged logs, kill a replica with SIGKILL under load, restart
 * PostgreSQL under load, and restart every replica in turn under load. The scenarios run in order and
 * build on each other. Figures (key propagation, failures, recovery times) are printed to the test's
 * output ({@code target/surefire-reports/dev.scoria.it.ReplicasEndToEndTest-output.txt}).
 *
 * <p>Needs Debian's {@code postgresql} and {@code haproxy} packages ({@code .ci/run} installs them); it
 * fails, not skips, without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasEndToEndTest {

    static final Path DEMO = Path.of("..", "scoria-server", "src", "main", "resources", "demo", "diabetes-ridge")
            .toAbsolutePath()
            .normalize();
    static final String EXPECTED = "[217.67978776218715,224.78937091757172]";
    static final String SERVICE = "replicated";
    static final String ADMIN = "it-admin-" + UUID.randomUUID();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    static final long T0 = System.nanoTime();
    static final List<String> TIMELINE = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    static Path work;

    static String requestBody;
    static volatile PostgresServer postgres;
    static final List<ReplicaProcess> replicas = new ArrayList<>();
    static volatile Process haproxy;
    static int balancerPort;
    static int statsPort;
    static Load load;
    static String primaryKey;
    static String secondaryKey;

    @BeforeAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    static void startWorkspace() throws Exception {
        Path haproxyBinary = haproxyBinary();
        requestBody = Files.readString(DEMO.resolve("request.json"), StandardCharsets.UTF_8);
        if (!Files.exists(CliProcess.JAR)) {
            throw new AssertionError(
                    CliProcess.JAR + " is missing: the scoria-cli module must be packaged before scoria-it runs");
        }
        // A copy: a rebuild of the original while the replicas run would pull classes from under them.
        Path jar = work.resolve("scoria.jar");
        Files.copy(CliProcess.JAR, jar);
        killOnExit();
        postgres = PostgresServer.start();
        String database = postgres.createDatabase();
        Map<String, String> env = Map.of("SCORIA_DATABASE_URL", database, "SCORIA_ADMIN_TOKEN", ADMIN);
        for (int i = 1; i <= 3; i++) {
            replicas.add(new ReplicaProcess(
                    "r" + i,
                    freePort(),
                    work.resolve("data-r" + i),
                    jar,
                    work,
                    env,
                    List.of("--shutdown-delay-seconds", "1", "--drain-timeout-seconds", "10")));
        }
        // Started together: one after the other would triple the JVM start-up time on a small machine.
        for (ReplicaProcess r : replicas) {
            r.start();
        }
        for (ReplicaProcess r : replicas) {
            r.awaitBanner(Duration.ofSeconds(90));
            r.awaitReady(Duration.ofSeconds(30));
        }
        balancerPort = freePort();
        statsPort = freePort();
        haproxy = startHaproxy(haproxyBinary);
        for (ReplicaProcess r : replicas) {
            awaitBalancerState(r.id, "UP", Duration.ofSeconds(10));
        }
        event("workspace up: postgres on " + postgres.port() + ", replicas "
                + replicas.stream().map(r -> r.id + "@" + r.port).toList() + ", haproxy on " + balancerPort);
    }

    @AfterAll
    static void stopEverything() {
        quietly(() -> {
            if (load != null) {
                load.stop();
            }
        });
        quietly(() -> {
            if (haproxy != null) {
                haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                haproxy = null;
            }
        });
        for (ReplicaProcess r : replicas) {
            quietly(() -> {
                if (r.alive()) {
                    r.terminate();
                }
            });
        }
        for (ReplicaProcess r : replicas) {
            quietly(() -> r.stop(Duration.ofSeconds(15)));
        }
        quietly(() -> {
            if (postgres != null) {
                postgres.close();
                postgres = null;
            }
        });
        System.out.println("[replicas-e2e] timeline:\n  " + String.join("\n  ", TIMELINE));
    }

    interface Step {
        void run() throws Exception;
    }

    /** One step of the clean-up: a failing one must not leave the next processes running. */
    static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            System.out.println("[replicas-e2e] clean-up step failed: " + e);
        }
    }

    /** A safety net should the test JVM be stopped before {@link #stopEverything} runs: no process outlives it. */
    static void killOnExit() {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (haproxy != null) {
                                haproxy.destroyForcibly();
                            }
                            for (ReplicaProcess r : replicas) {
                                r.destroyForcibly();
                            }
                            if (postgres != null) {
                                postgres.close();
                            }
                        },
                        "replicas-e2e-cleanup"));
    }

    // 1 ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void deployedOnOneReplicaServedByAll() throws Exception {
        Workspace ws = Workspace.connect(replica(1).baseUrl(), ADMIN);
        Model model = Model.register(ws, DEMO.resolve("model.onnx"), "diabetes");
        Response created = send(
                "POST",
                replica(1).baseUrl() + "/api/v1/services",
                ADMIN,
                "{\"name\": \"" + SERVICE + "\", \"models\": [\"" + model.id()
                        + "\"], \"runtime\": \"onnx\", \"authMode\": \"key\"}");
        assertThat(created.status).as(created.body).isEqualTo(202);
        String operation = created.header("Operation-Location");
        assertThat(operation).startsWith("/api/v1/operations/");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode op = null;
        while (System.nanoTime() < deadline) {
            op = json(send("GET", replica(1).baseUrl() + operation, ADMIN, null), 200);
            if (!"Running".equals(op.path("state").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(op.path("state").asText()).as("operation %s", op).isEqualTo("Succeeded");
        event("deploy operation Succeeded");

        JsonNode service = json(send("GET", replica(3).baseUrl() + "/api/v1/services/" + SERVICE, ADMIN, null), 200);
        assertThat(service.path("state").asText()).as("service %s", service).isEqualTo("Healthy");
        assertThat(replicaStates(service))
                .as("per-replica states %s", service.path("replicas"))
                .isEqualTo(Map.of("r1", "Healthy", "r2", "Healthy", "r3", "Healthy"));

        JsonNode keys = json(
                send("POST", replica(2).baseUrl() + "/api/v1/services/" + SERVICE + "/listkeys", ADMIN, null), 200);
        primaryKey = keys.path("primaryKey").asText();
        secondaryKey = keys.path("secondaryKey").asText();
        assertThat(primaryKey).isNotBlank().isNotEqualTo(secondaryKey);

        for (int i = 0; i < 30; i++) {
            Response scored = score(balancerUrl(), primaryKey);
            assertThat(scored.status)
                    .as("request %d through haproxy: %s", i, scored.body)
                    .isEqualTo(200);
            assertThat(scored.body).isEqualTo(EXPECTED);
        }
        for (ReplicaProcess r : replicas) {
            Response scored = score(r.baseUrl(), primaryKey);
            assertThat(scored.status).as("%s directly: %s", r.id, scored.body).isEqualTo(200);
            assertThat(scored.body).isEqualTo(EXPECTED);
        }
    }

    // 2 ---------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void regeneratedKeyReachesEveryReplicaWithinASecond() throws Exception {
        String oldPrimary = primaryKey;
        // Pollers, one per replica, score with the old key every 20 ms from before the regeneration until refused.
        List<KeyPoller> pollers = replicas.stream()
                .map(r -> new KeyPoller(r, oldPrimary, Duration.ofSeconds(8)))
                .toList();
        pollers.forEach(KeyPoller::start);
        for (KeyPoller p : pollers) {
            p.awaitAccepted(3, Duration.ofSeconds(5));
        }
        long sent = System.nanoTime();
        Response regenerated = send(
                "POST",
                replica(2).baseUrl() + "/api/v1/services/" + SERVICE + "/regenerateKeys",
                ADMIN,
                "{\"keyType\": \"Primary\"}");
        long acknowledged = System.nanoTime();
        JsonNode keys = json(regenerated, 200);
        primaryKey = keys.path("primaryKey").asText();
        assertThat(primaryKey).isNotBlank().isNotEqualTo(oldPrimary);
        assertThat(keys.path("secondaryKey").asText())
                .as("the other key is left alone")
                .isEqualTo(secondaryKey);

        Map<String, Long> refusedByMs = new LinkedHashMap<>();
        StringBuilder figures = new StringBuilder("key regeneration on r2 (the call took " + ms(acknowledged - sent)
                + " ms); the old primary key, polled every 20 ms on each replica:");
        for (KeyPoller p : pollers) {
            p.finish(Duration.ofSeconds(10));
            Poll refused = p.firstWith(401);
            long acceptedAfterAck = p.polls().stream()
                    .filter(x -> x.status == 200 && x.sent > acknowledged)
                    .count();
            long lastAccepted = p.polls().stream()
                    .filter(x -> x.status == 200)
                    .mapToLong(Poll::sent)
                    .max()
                    .orElse(sent);
            figures.append("\n    ").append(p.replica.id).append(": ");
            if (refused == null) {
                figures.append("never refused (last answers ")
                        .append(p.lastStatuses())
                        .append(")");
            } else {
                long by = TimeUnit.NANOSECONDS.toMillis(refused.answered - acknowledged);
                refusedByMs.put(p.replica.id, by);
                figures.append("401 by ")
                        .append(by)
                        .append(" ms after the call returned (the last 200 was for a request sent ")
                        .append(TimeUnit.NANOSECONDS.toMillis(lastAccepted - acknowledged))
                        .append(" ms from it; ")
                        .append(acceptedAfterAck)
                        .append(" requests sent after it were still accepted)");
            }
        }
        event(figures.toString());
        System.out.println("[replicas-e2e] " + figures);
        assertThat(refusedByMs)
                .as(figures.toString())
                .hasSize(3)
                .allSatisfy((id, by) -> assertThat(by).as(id).isLessThanOrEqualTo(1000L));

        for (ReplicaProcess r : replicas) {
            Response scored = score(r.baseUrl(), primaryKey);
            assertThat(scored.status)
                    .as("new primary key on %s: %s", r.id, scored.body)
                    .isEqualTo(200);
            assertThat(scored.body).isEqualTo(EXPECTED);
            assertThat(score(r.baseUrl(), secondaryKey).status)
                    .as("secondary key on %s", r.id)
                    .isEqualTo(200);
        }
    }

    /** One scoring request of a {@link KeyPoller}. */
    record Poll(long sent, long answered, int status) {}

    /** Scores on one replica with one key every 20 ms until it is refused (401), for at most {@code max}. */
    static final class KeyPoller extends Thread {
        final ReplicaProcess replica;
        private final String key;
        private final long deadline;
        private final List<Poll> polls = Collections.synchronizedList(new ArrayList<>());

        KeyPoller(ReplicaProcess replica, String key, Duration max) {
            super("key-poller-" + replica.id);
            setDaemon(true);
            this.replica = replica;
            this.key = key;
            this.deadline = System.nanoTime() + max.toNanos();
        }

        @Override
        public void run() {
            try {
                while (System.nanoTime() < deadline) {
                    long sent = System.nanoTime();
                    int status;
                    try {
                        status = score(replica.baseUrl(), key).status;
                    } catch (IOException e) {
                        status = -1;
                    }
                    polls.add(new Poll(sent, System.nanoTime(), status));
                    if (status == 401) {
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                // Stopped.
            }
        }

        void awaitAccepted(int count, Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            while (polls().stream().filter(p -> p.status == 200).count() < count) {
                if (System.nanoTime() > until) {
                    throw new AssertionError(replica.id + " did not accept the key: " + lastStatuses());
                }
                Thread.sleep(10);
            }
        }

        /** Waits for the poller to see the refusal (bounded), then stops it either way. */
        void finish(Duration timeout) throws InterruptedException {
            join(timeout.toMillis());
            interrupt();
        }

        List<Poll> polls() {
            synchronized (polls) {
                return List.copyOf(polls);
            }
        }

        Poll firstWith(int status) {
            return polls().stream().filter(p -> p.status == status).findFirst().orElse(null);
        }

        List<Integer> lastStatuses() {
            List<Poll> all = polls();
            return all.subList(Math.max(0, all.size() - 5), all.size()).stream()
                    .map(Poll::status)
                    .toList();
        }
    }

    // 3 ---------------------------------------------------------------------------------------------

    @Test
    @Order(3)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void logsMergeEveryReplica() throws Exception {
        String content = json(
                        send("GET", replica(1).baseUrl() + "/api/v1/services/" + SERVICE + "/logs", ADMIN, null), 200)
                .path("content")
                .asText();
        Pattern line = Pattern.compile("^(\\S+) (\\S+) (TRACE|DEBUG|INFO|WARN|ERROR) (.+)$");
        Set<String> ids = new TreeSet<>();
        for (String l : content.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                ids.add(m.group(2));
            }
        }
        System.out.println("[replicas-e2e] service logs name replicas " + ids);
        assertThat(ids)
                .as("replica ids in the logs:\n%s", content)
                .isSubsetOf("r1", "r2", "r3")
                .hasSizeGreaterThanOrEqualTo(2);
    }

    // 4 ---------------------------------------------------------------------------------------------

    @Test
    @Order(4)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void replicaKilledUnderLoadCostsAtMostTheRequestsInFlight() throws Exception {
        Map<String, Long> countersBefore = balancerCounters();
        startLoad(Duration.ofSeconds(30));
        Thread.sleep(1500);
        long killed = System.nanoTime();
        replica(3).kill();
        event("r3 killed (SIGKILL)");
        Thread.sleep(4000);
        List<Outcome> outcomes = load.stop();
        load = null;
        long end = System.nanoTime();

        List<Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
        List<Outcome> afterKill =
                outcomes.stream().filter(o -> o.startNanos >= killed).toList();
        long secondHalf = killed + (end - killed) / 2;
        List<Outcome> late =
                afterKill.stream().filter(o -> o.startNanos >= secondHalf).toList();
        String figures =
                "kill -9 of r3 under load: " + outcomes.size() + " requests, " + afterKill.size() + " after the kill, "
                        + failed.size() + " not 200; " + counterDelta(countersBefore, balancerCounters())
                        + describe(failed, Map.of("kill", killed));
        event(figures);
        System.out.println("[replicas-e2e] " + figures);
        assertThat(afterKill).as("requests sent after the kill").hasSizeGreaterThan(100);
        assertThat(failed).as(figures).hasSizeLessThanOrEqualTo(4);
        assertThat(late)
                .as("every request in the second half after the kill succeeds: " + figures)
                .allMatch(Outcome::ok)
                .isNotEmpty();

        // The workspace notices: r3 stops being live, and the service is Healthy on the two that are left.
        JsonNode gone = awaitJson(
                replica(1).baseUrl() + "/api/v1/replicas",
                killed,
                Duration.ofSeconds(8),
                n -> liveness(n).equals(Map.of("r1", true, "r2", true, "r3", false)));
        event("r3 live:false after " + ms(System.nanoTime() - killed) + " ms");
        JsonNode service = awaitJson(
                replica(1).baseUrl() + "/api/v1/services/" + SERVICE,
                killed,
                Duration.ofSeconds(9),
                n -> n.path("state").asText().equals("Healthy")
                        && replicaStates(n).equals(Map.of("r1", "Healthy", "r2", "Healthy")));
        System.out.println("[replicas-e2e] r3 seen as gone (live:false, 2 replicas in the service) within "
                + ms(System.nanoTime() - killed) + " ms of the kill: " + liveness(gone));
        assertThat(service.path("state").asText()).isEqualTo("Healthy");

        // Back as the same replica: it resyncs from the database and serves again.
        long restarted = System.nanoTime();
        replica(3).start();
        replica(3).awaitBanner(Duration.ofSeconds(60));
        replica(3).awaitReady(Duration.ofSeconds(30));
        event("r3 restarted and ready after " + ms(System.nanoTime() - restarted) + " ms");
        awaitJson(
                replica(1).baseUrl() + "/api/v1/services/" + SERVICE,
                System.nanoTime(),
                Duration.ofSeconds(15),
                n -> n.path("state").asText().equals("Healthy")
                        && replicaStates(n).equals(Map.of("r1", "Healthy", "r2", "Healthy", "r3", "Healthy")));
        Response scored = score(replica(3).baseUrl(), primaryKey);
        assertThat(scored.status).as(scored.body).isEqualTo(200);
        assertThat(scored.body).isEqualTo(EXPECTED);
        awaitBalancerState("r3", "UP", Duration.ofSeconds(10));
    }

    // 5 ---------------------------------------------------------------------------------------------

    @Test
    @Order(5)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void postgresRestartUnderLoadNeverFailsAScore() throws Exception {
        ensureAllRunning();
        Map<String, Long> countersBefore = balancerCounters();
        startLoad(Duration.ofSeconds(60));
        Thread.sleep(1000);
        long stopping = System.nanoTime();
        postgres.stopServer();
        long stopped = System.nanoTime();
        event("postgres stopped (took " + ms(stopped - stopping) + " ms)");
        try {
            Response refused = send("GET", replica(1).baseUrl() + "/api/v1/services/" + SERVICE, ADMIN, null);
            event("management call with the database down answered " + refused.status + " in "
                    + ms(System.nanoTime() - stopped) + " ms");
            JsonNode error = json(refused, 503);
            assertThat(error.path("status_code").asInt()).isEqualTo(503);
            assertThat(error.path("message").asText()).startsWith("the workspace database is unreachable");
            for (ReplicaProcess r : replicas) {
                assertThat(r.readyStatus())
                        .as("%s stays ready: it scores from memory", r.id)
                        .isEqualTo(200);
            }
            long downFor = TimeUnit.SECONDS.toNanos(2) - (System.nanoTime() - stopped);
            if (downFor > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(downFor));
            }
        } finally {
            // Even when a check above failed: the next scenario needs the database.
            postgres.startServer();
        }
        long started = System.nanoTime();
        event("postgres started again (down for " + ms(started - stopped) + " ms)");
        Thread.sleep(1000);
        List<Outcome> outcomes = load.stop();
        load = null;

        List<Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
        long whileDown = outcomes.stream()
                .filter(o -> o.startNanos >= stopped && o.startNanos < started)
                .count();
        String figures =
                "postgres restart under load: " + outcomes.size() + " requests (" + whileDown + " while it was down), "
                        + failed.size() + " not 200; " + counterDelta(countersBefore, balancerCounters())
                        + describe(failed, Map.of("stop", stopped, "start", started));
        event(figures);
        System.out.println("[replicas-e2e] " + figures);
        assertThat(whileDown).as("requests scored while the database was down").isGreaterThan(100);
        assertThat(failed).as(figures).isEmpty();

        // Management comes back: a key regenerated on r1 works on r2 shortly after.
        long deadline = started + TimeUnit.SECONDS.toNanos(15);
        Response regenerated;
        List<String> attempts = new ArrayList<>();
        do {
            long attempt = System.nanoTime();
            regenerated = send(
                    "POST",
                    replica(1).baseUrl() + "/api/v1/services/" + SERVICE + "/regenerateKeys",
                    ADMIN,
                    "{\"keyType\": \"Secondary\"}");
            attempts.add(regenerated.status + " (sent +" + ms(attempt - started) + " ms, took "
                    + ms(System.nanoTime() - attempt) + " ms)");
            if (regenerated.status == 200) {
                break;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        long recovered = System.nanoTime();
        assertThat(regenerated.status)
                .as("regenerating a key within 15 s of the restart: %s; attempts: %s", regenerated.body, attempts)
                .isEqualTo(200);
        String oldSecondary = secondaryKey;
        secondaryKey = JSON.readTree(regenerated.body).path("secondaryKey").asText();
        assertThat(secondaryKey).isNotEqualTo(oldSecondary);
        long acceptedAfter = untilStatus(replica(2).baseUrl(), secondaryKey, 200, recovered, Duration.ofSeconds(6));
        String recovery = "after the postgres restart: management answered again after " + ms(recovered - started)
                + " ms (regenerate on r1: " + String.join(", ", attempts) + "); the new secondary key worked on r2 "
                + acceptedAfter + " ms after it was regenerated on r1";
        event(recovery);
        System.out.println("[replicas-e2e] " + recovery);
        assertThat(acceptedAfter).as(recovery).isBetween(0L, 2000L);
    }

    // 6 ---------------------------------------------------------------------------------------------

    @Test
    @Order(6)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void rollingRestartUnderLoadFailsNothing() throws Exception {
        ensureAllRunning();
        Map<String, Long> countersBefore = balancerCounters();
        startLoad(Duration.ofSeconds(120));
        Thread.sleep(500);
        Map<String, Long> marks = new LinkedHashMap<>();
        for (ReplicaProcess r : replicas) {
            long term = System.nanoTime();
            marks.put("SIGTERM " + r.id, term);
            r.terminate();
            event("SIGTERM " + r.id);
            int code = r.awaitExit(Duration.ofSeconds(30));
            long exited = System.nanoTime();
            marks.put("exit " + r.id, exited);
            event(r.id + " exited with " + code + " after " + ms(exited - term) + " ms");
            ReplicaProcess other = replicas.get((replicas.indexOf(r) + 1) % 3);
            JsonNode list = json(send("GET", other.baseUrl() + "/api/v1/replicas", ADMIN, null), 200);
            assertThat(liveness(list))
                    .as("a drained replica deregisters: %s", list)
                    .doesNotContainKey(r.id);

            r.start();
            r.awaitBanner(Duration.ofSeconds(60));
            r.awaitReady(Duration.ofSeconds(30));
            marks.put("ready " + r.id, System.nanoTime());
            awaitBalancerState(r.id, "UP", Duration.ofSeconds(10));
            marks.put("in haproxy " + r.id, System.nanoTime());
            event(r.id + " back in haproxy after " + ms(System.nanoTime() - term) + " ms");
        }
        Thread.sleep(500);
        List<Outcome> outcomes = load.stop();
        load = null;

        List<Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
        long connectionErrors = failed.stream().filter(o -> o.status < 0).count();
        Map<String, Long> countersAfter = balancerCounters();
        String figures = "rolling restart under load: " + outcomes.size() + " requests, " + failed.size() + " not 200 ("
                + connectionErrors + " connection errors); " + counterDelta(countersBefore, countersAfter)
                + describe(failed, marks);
        event(figures);
        System.out.println("[replicas-e2e] " + figures);
        assertThat(outcomes.size())
                .as("requests sent during the rolling restart")
                .isGreaterThan(300);
        assertThat(failed).as(figures).isEmpty();
        // The drain itself is clean, not rescued by haproxy's retries: a balancer without retries (a
        // Kubernetes Service) would have lost every request haproxy had to send again.
        for (String counter : List.of("econ", "eresp", "wretr")) {
            assertThat(countersAfter.get(counter) - countersBefore.get(counter))
                    .as(counter + ": " + figures)
                    .isZero();
        }

        awaitJson(
                replica(1).baseUrl() + "/api/v1/services/" + SERVICE,
                System.nanoTime(),
                Duration.ofSeconds(15),
                n -> n.path("state").asText().equals("Healthy")
                        && replicaStates(n).equals(Map.of("r1", "Healthy", "r2", "Healthy", "r3", "Healthy")));
    }

    // Helpers -----------------------------------------------------------------------------------------

    static ReplicaProcess replica(int n) {
        return replicas.get(n - 1);
    }

    /** Starts any replica an earlier, failed scenario left stopped, so that this one still tests something. */
    static void ensureAllRunning() throws Exception {
        for (ReplicaProcess r : replicas) {
            if (!r.alive()) {
                event("restarting " + r.id + ", left stopped by an earlier scenario");
                r.start();
                r.awaitBanner(Duration.ofSeconds(60));
                r.awaitReady(Duration.ofSeconds(30));
                awaitBalancerState(r.id, "UP", Duration.ofSeconds(10));
            }
        }
    }

    /** 4 clients scoring through haproxy (a load an earlier, failed scenario left running is stopped first). */
    static void startLoad(Duration max) throws InterruptedException {
        if (load != null) {
            load.stop();
        }
        load = new Load(balancerUrl(), primaryKey, 4, max);
    }

    static String balancerUrl() {
        return "http://127.0.0.1:" + balancerPort;
    }

    static void event(String what) {
        TIMELINE.add(String.format("+%6d ms  %s", ms(System.nanoTime() - T0), what));
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** haproxy from Debian; a missing one fails the test (it is the point of the test), never skips it. */
    static Path haproxyBinary() {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "haproxy");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("haproxy is not installed: this test puts 3 replicas behind a real haproxy."
                + " Install it (Debian: apt-get install haproxy; .ci/run installs it)");
    }

    static Process startHaproxy(Path binary) throws IOException, InterruptedException {
        StringBuilder cfg = new StringBuilder();
        cfg.append("""
                global
                    maxconn 2000
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 30s
                    timeout server 30s
                    timeout http-keep-alive 10s
                    timeout queue 5s
                    # A request that found a replica gone (refused connection, or closed without an answer)
                    # goes to another one; it is buffered whole so that it can be sent again.
                    retries 3
                    option redispatch
                    retry-on conn-failure empty-response
                    option http-buffer-request
                frontend scoria
                """);
        cfg.append("    bind 127.0.0.1:").append(balancerPort).append('\n');
        cfg.append("""
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET /ready
                    http-check expect status 200
                    # A check answered late on a busy machine is not a replica going away: two misses take it
                    # out (400 ms, well inside the 1 s shutdown delay), and a check may take 2 s.
                    timeout check 2s
                    default-server inter 200 fall 2 rise 2
                """);
        for (ReplicaProcess r : replicas) {
            cfg.append("    server ")
                    .append(r.id)
                    .append(" 127.0.0.1:")
                    .append(r.port)
                    .append(" check\n");
        }
        cfg.append("listen stats\n    bind 127.0.0.1:")
                .append(statsPort)
                .append("\n    stats enable\n    stats uri /stats\n");
        Path file = work.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString(), StandardCharsets.UTF_8);

        Process check = new ProcessBuilder(binary.toString(), "-c", "-f", file.toString())
                .redirectErrorStream(true)
                .start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue())
                .as("haproxy -c -f %s:\n%s\n%s", file, checked, cfg)
                .isZero();

        Path log = work.resolve("haproxy.log");
        Process p = new ProcessBuilder(binary.toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("haproxy exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return p;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("haproxy did not start within 10 s:\n" + Files.readString(log));
    }

    /** Waits until haproxy's stats say server {@code id} is in {@code state} (UP, DOWN). */
    static void awaitBalancerState(String id, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            String csv = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String row : csv.split("\n")) {
                String[] cols = row.split(",", -1);
                if (cols.length > 17 && cols[0].equals("replicas") && cols[1].equals(id)) {
                    seen = cols[17];
                }
            }
            if (state.equals(seen)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(
                "haproxy did not see " + id + " " + state + " within " + timeout + " (last: " + seen + ")");
    }

    /**
     * haproxy's counters for the whole backend since it started: connection errors, response errors,
     * retries and redispatches (what the balancer hid from clients).
     */
    static Map<String, Long> balancerCounters() throws Exception {
        String csv = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String row : csv.split("\n")) {
            String[] cols = row.split(",", -1);
            if (cols.length > 17 && cols[0].equals("replicas") && cols[1].equals("BACKEND")) {
                String[] names = {"econ", "eresp", "wretr", "wredis"};
                for (int i = 0; i < names.length; i++) {
                    counters.put(names[i], cols[13 + i].isEmpty() ? 0 : Long.parseLong(cols[13 + i]));
                }
            }
        }
        return counters;
    }

    static String counterDelta(Map<String, Long> before, Map<String, Long> after) {
        return "haproxy connection errors " + (after.get("econ") - before.get("econ")) + ", response errors "
                + (after.get("eresp") - before.get("eresp")) + ", retries " + (after.get("wretr") - before.get("wretr"))
                + ", redispatches " + (after.get("wredis") - before.get("wredis"));
    }

    record Response(int status, String body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static Response send(String method, String url, String token, String jsonBody)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r);
    }

    static Response score(String baseUrl, String key) throws IOException, InterruptedException {
        return send("POST", baseUrl + "/api/v1/service/" + SERVICE + "/score", key, requestBody);
    }

    static JsonNode json(Response r, int expectedStatus) throws IOException {
        assertThat(r.status).as("answer: %s", r.body).isEqualTo(expectedStatus);
        return JSON.readTree(r.body);
    }

    /** Polls {@code GET url} (admin) every 100 ms until {@code until} holds; fails with the last answer after the timeout. */
    static JsonNode awaitJson(String url, long fromNanos, Duration timeout, Predicate<JsonNode> until)
            throws Exception {
        long deadline = fromNanos + timeout.toNanos();
        String last = null;
        do {
            Response r = send("GET", url, ADMIN, null);
            last = r.status + " " + r.body;
            if (r.status == 200) {
                JsonNode n = JSON.readTree(r.body);
                if (until.test(n)) {
                    return n;
                }
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(
                "GET " + url + " did not reach the expected state within " + timeout + "; last answer: " + last);
    }

    /**
     * Scores on one replica with {@code key} every 20 ms until it answers {@code status}; returns the
     * milliseconds from {@code fromNanos}, or fails after the timeout.
     */
    static long untilStatus(String baseUrl, String key, int status, long fromNanos, Duration timeout) throws Exception {
        long deadline = fromNanos + timeout.toNanos();
        int last;
        do {
            last = score(baseUrl, key).status;
            if (last == status) {
                return ms(System.nanoTime() - fromNanos);
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(baseUrl + " still answered " + last + " (not " + status + ") " + timeout + " later");
    }

    /** {@code replicas[]} of a service: replica id → state. */
    static Map<String, String> replicaStates(JsonNode service) {
        Map<String, String> states = new LinkedHashMap<>();
        service.path("replicas")
                .forEach(r ->
                        states.put(r.path("replicaId").asText(), r.path("state").asText()));
        return states;
    }

    /** {@code GET /api/v1/replicas}: replica id → live. */
    static Map<String, Boolean> liveness(JsonNode list) {
        Map<String, Boolean> live = new LinkedHashMap<>();
        list.path("value")
                .forEach(r -> live.put(r.path("id").asText(), r.path("live").asBoolean()));
        return live;
    }

    /** The failed requests, each placed relative to the nearest preceding mark (e.g. "+35 ms after SIGTERM r2"). */
    static String describe(List<Outcome> failed, Map<String, Long> marks) {
        if (failed.isEmpty()) {
            return "";
        }
        return failed.stream()
                        .limit(40)
                        .map(o -> {
                            String where = marks.entrySet().stream()
                                    .filter(m -> m.getValue() <= o.startNanos)
                                    .max(Comparator.comparingLong(Map.Entry::getValue))
                                    .map(m -> "+" + ms(o.startNanos - m.getValue()) + " ms after " + m.getKey())
                                    .orElse("before any event");
                            return "\n    sent " + where + ", took " + ms(o.endNanos - o.startNanos) + " ms, thread "
                                    + o.thread + ": " + (o.status < 0 ? "connection error" : "status " + o.status) + " "
                                    + o.detail;
                        })
                        .collect(Collectors.joining())
                + (failed.size() > 40 ? "\n    ... " + (failed.size() - 40) + " more" : "");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One scoring request of a {@link Load}: when it was sent and answered, and how. */
    record Outcome(int thread, long startNanos, long endNanos, int status, String detail) {
        boolean ok() {
            return status == 200 && detail == null;
        }
    }

    /**
     * Closed-loop load: each thread sends the next scoring request when the last was answered, over its
     * own keep-alive connection, until stopped, for at most {@code maxDuration} and 500,000 requests.
     */
    static final class Load {
        private static final int MAX_PER_THREAD = 500_000;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final List<List<Outcome>> results = new ArrayList<>();

        Load(String baseUrl, String key, int threadCount, Duration maxDuration) {
            long deadline = System.nanoTime() + maxDuration.toNanos();
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/service/" + SERVICE + "/score"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(requestBody))
                    .build();
            for (int i = 0; i < threadCount; i++) {
                List<Outcome> out = new ArrayList<>();
                results.add(out);
                int thread = i;
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();
                Thread t = new Thread(
                        () -> {
                            for (int n = 0; n < MAX_PER_THREAD && !stop.get() && System.nanoTime() < deadline; n++) {
                                long start = System.nanoTime();
                                try {
                                    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                                    String detail = r.statusCode() == 200 && EXPECTED.equals(r.body())
                                            ? null
                                            : r.body()
                                                    .substring(
                                                            0,
                                                            Math.min(
                                                                    300,
                                                                    r.body().length()));
                                    out.add(new Outcome(thread, start, System.nanoTime(), r.statusCode(), detail));
                                } catch (IOException e) {
                                    out.add(new Outcome(thread, start, System.nanoTime(), -1, e.toString()));
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "load-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
        }

        /** Stops the threads (bounded wait) and returns every outcome, in the order sent. */
        List<Outcome> stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(15_000);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(5_000);
                }
            }
            return results.stream()
                    .flatMap(List::stream)
                    .sorted(Comparator.comparingLong(Outcome::startNanos))
                    .toList();
        }
    }
}
