package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.replica.ReplicaRecord;
import dev.scoria.core.replica.ReplicaReport;
import dev.scoria.core.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the workspace that this replica is alive (every second) and what it serves (as soon as that
 * changes), and ends the operations the replicas' reports decide. A replica that stops beating drops
 * out of every service's overall state after {@link ReplicaRecord#LIVENESS}.
 */
public final class ReplicaHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaHeartbeat.class);
    private static final long TICK_MS = 200;
    private static final long BEAT_MS = 1000;
    private static final long REPORT_AT_LEAST_EVERY_MS = 10_000;

    private final Store store;
    private final Reconciler reconciler;
    private final ServiceControl control;
    private final Supplier<String> address;
    private final String version;
    private final Instant startedAt = Instant.now();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("scoria-heartbeat-"));
    private List<ReplicaReport> lastReported;
    private long lastBeat;
    private long lastReport;
    private boolean failing;

    public ReplicaHeartbeat(
            Store store, Reconciler reconciler, ServiceControl control, Supplier<String> address, String version) {
        this.store = store;
        this.reconciler = reconciler;
        this.control = control;
        this.address = address;
        this.version = version;
    }

    public void start() {
        tick();
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        long now = System.currentTimeMillis();
        try {
            boolean beat = now - lastBeat >= BEAT_MS;
            if (beat) {
                store.heartbeat(new ReplicaRecord(
                        reconciler.replicaId(), address.get(), version, startedAt, Instant.ofEpochMilli(now)));
                lastBeat = now;
            }
            List<ReplicaReport> reports = reconciler.reports();
            boolean report = !sameStates(reports, lastReported) || now - lastReport >= REPORT_AT_LEAST_EVERY_MS;
            if (report) {
                store.reportServices(reconciler.replicaId(), reports);
                lastReported = reports;
                lastReport = now;
            }
            // Other replicas' reports arrive in the store too: look at running operations once a second at least.
            if (beat || report) {
                control.settleRunningOperations();
            }
            if (failing) {
                LOG.info("heartbeat: the workspace database is reachable again");
            }
            failing = false;
        } catch (ScoriaException | IllegalStateException e) {
            if (!failing) {
                LOG.warn("heartbeat: cannot reach the workspace database ({}); scoring goes on", e.getMessage());
            }
            failing = true;
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed", e);
        }
    }

    private static boolean sameStates(List<ReplicaReport> a, List<ReplicaReport> b) {
        if (b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            ReplicaReport x = a.get(i);
            ReplicaReport y = b.get(i);
            if (!x.service().equals(y.service())
                    || !x.deployment().equals(y.deployment())
                    || x.generation() != y.generation()
                    || x.state() != y.state()
                    || !Objects.equals(x.error(), y.error())) {
                return false;
            }
        }
        return true;
    }

    /** Stops beating and, when the replica leaves for good, removes it so it drops out at once. */
    public synchronized void leave() {
        timer.shutdownNow();
        try {
            store.deleteReplica(reconciler.replicaId());
        } catch (RuntimeException e) {
            LOG.info(
                    "could not deregister replica {} ({}); it drops out when its heartbeat goes stale",
                    reconciler.replicaId(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
