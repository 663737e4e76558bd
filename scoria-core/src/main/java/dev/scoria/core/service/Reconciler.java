package dev.scoria.core.service;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.model.ModelRegistry;
import dev.scoria.core.replica.ReplicaReport;
import dev.scoria.core.runtime.LoadContext;
import dev.scoria.core.runtime.ModelRuntime;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.RuntimeRegistry;
import dev.scoria.core.scheduling.DeadlineTimers;
import dev.scoria.core.scheduling.OffLoopWork;
import dev.scoria.core.scheduling.ServiceScheduler;
import dev.scoria.core.store.ChangeListener;
import dev.scoria.core.store.Store;
import dev.scoria.scorer.ServiceLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings this replica's live services to the state committed in the store: loads a service that
 * appeared, loads a new generation beside the one serving and swaps when it is ready (the old one
 * keeps answering until then, and is closed once its requests are done), applies new settings and
 * keys at once, and unloads a service that was deleted. Runs after every local change, when another
 * replica announces one, after a reconnection, and every few seconds in case a notification was lost.
 * The data plane never waits for it: it reads {@link LiveServices}.
 */
public final class Reconciler implements ChangeListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /** A full resync this often even without notifications: they are lost while a replica is disconnected. */
    private static final long RESYNC_EVERY_MS = 5000;

    private final Store store;
    private final ModelRegistry models;
    private final ArtifactStore artifacts;
    private final RuntimeRegistry runtimes;
    private final ServiceLogs logs;
    private final Path workRoot;
    private final LiveServices live;
    private final List<Runnable> afterResync = new ArrayList<>();
    private final ExecutorService loader;
    /** Threads that score: one per request in flight, bounded by the services' concurrency limits. */
    private final ExecutorService scorers = Executors.newCachedThreadPool(DaemonThreads.named("scoria-score-"));

    private final ScheduledThreadPoolExecutor timers = DeadlineTimers.create(DaemonThreads.named("scoria-timer-"));
    private final OffLoopWork offLoop = new OffLoopWork();
    /** What this replica last did about each service: the generation loaded or being loaded, and how it went. */
    private final Map<String, ReplicaReport> loads = new ConcurrentHashMap<>();

    private final Set<String> startupLoads = ConcurrentHashMap.newKeySet();
    /** When each service was last applied or removed here (System.nanoTime), to tell a resync's row is older. */
    private final Map<String, Long> appliedAt = new ConcurrentHashMap<>();

    private final Object wakeLock = new Object();
    private final Thread loop;
    private boolean wakeRequested;
    private volatile boolean closed;
    private volatile boolean synced;
    private volatile boolean storeReachable = true;
    private final String replicaId;

    public Reconciler(
            Store store,
            ModelRegistry models,
            ArtifactStore artifacts,
            RuntimeRegistry runtimes,
            ServiceLogs logs,
            Path workRoot,
            LiveServices live,
            String replicaId) {
        this.store = store;
        this.models = models;
        this.artifacts = artifacts;
        this.runtimes = runtimes;
        this.logs = logs;
        this.workRoot = workRoot;
        this.live = live;
        this.replicaId = replicaId;
        this.loader = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), DaemonThreads.named("scoria-loader-"));
        this.loop = new Thread(this::run, "scoria-reconciler");
        loop.setDaemon(true);
        timers.setRemoveOnCancelPolicy(true);
    }

    /** Something to refresh from the store after every resync (signing keys, the admin credential). */
    public void afterResync(Runnable refresh) {
        afterResync.add(refresh);
    }

    /** Loads every stored service (the first resync runs on the caller's thread), then keeps them in step. */
    public void start() {
        deleteTree(workRoot);
        resync();
        startupLoads.addAll(loads.keySet());
        loop.start();
    }

    public void wake() {
        synchronized (wakeLock) {
            wakeRequested = true;
            wakeLock.notifyAll();
        }
    }

    @Override
    public void changed() {
        wake();
    }

    @Override
    public void reconnected() {
        wake();
    }

    private void run() {
        while (!closed) {
            synchronized (wakeLock) {
                if (!wakeRequested) {
                    try {
                        wakeLock.wait(RESYNC_EVERY_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wakeRequested = false;
            }
            if (!closed) {
                resync();
            }
        }
    }

    /** Reads the desired state and applies it; when the store is unreachable, keeps serving what it has. */
    void resync() {
        long snapshotStarted = System.nanoTime();
        List<ServiceRecord> desired;
        try {
            desired = store.listServices();
        } catch (ScoriaException e) {
            if (storeReachable) {
                LOG.warn(
                        "cannot read the workspace ({}); serving the services as they were until it is back",
                        e.getMessage());
            }
            storeReachable = false;
            return;
        }
        if (!storeReachable) {
            LOG.info("workspace database reachable again; resynced");
        }
        storeReachable = true;
        Set<String> names = new HashSet<>();
        for (ServiceRecord service : desired) {
            names.add(service.name());
            applyUnlessNewer(service, snapshotStarted);
        }
        for (LiveService service : live.all()) {
            if (!names.contains(service.record().name())) {
                removeUnlessNewer(service.record().name(), snapshotStarted);
            }
        }
        for (Runnable refresh : afterResync) {
            try {
                refresh.run();
            } catch (RuntimeException e) {
                LOG.warn("refresh after resync failed: {}", e.getMessage());
            }
        }
        synced = true;
    }

    /**
     * A resync's row, unless this replica applied a change of that service after the snapshot was read: a
     * local change (a deploy, a key regenerated here) is committed before it is applied, so it is at least as
     * new as the snapshot, which must not undo it (or remove a service deployed while it was being read).
     */
    private synchronized void applyUnlessNewer(ServiceRecord desired, long snapshotStarted) {
        if (olderThan(desired.name(), snapshotStarted)) {
            apply(desired);
        }
    }

    private synchronized void removeUnlessNewer(String name, long snapshotStarted) {
        if (olderThan(name, snapshotStarted)) {
            remove(name);
        }
    }

    /** Whether this replica last applied the service before {@code snapshotStarted} (or never did). */
    private boolean olderThan(String name, long snapshotStarted) {
        Long last = appliedAt.get(name);
        return last == null || last - snapshotStarted < 0;
    }

    /** Brings one service to {@code desired}: called with the committed row, after a local change or a resync. */
    public synchronized void apply(ServiceRecord desired) {
        String name = desired.name();
        appliedAt.put(name, System.nanoTime());
        LiveService current = live.raw(name);
        if (current == null) {
            current = new LiveService(desired.withState(ServiceState.Transitioning, null), Map.of());
        }
        LiveService next = current.withRecord(
                desired.withState(current.record().state(), current.record().error()));
        Set<String> wanted = new HashSet<>();
        for (DeploymentSpec d : desired.deployments()) {
            wanted.add(d.name());
            LiveDeployment ld = next.deployments().get(d.name());
            String what = desired.deployments().size() > 1 ? "deployment '" + d.name() + "'" : "service";
            if (ld == null) {
                ServiceScheduler scheduler = new ServiceScheduler(name, d.limits(), scorers, timers, offLoop);
                next = next.withDeployment(
                        new LiveDeployment(d, ServiceState.Transitioning, null, null, scheduler, 0, null));
                logs.append(
                        name,
                        "INFO",
                        "replica " + replicaId + ": loading " + what + " generation " + d.generation() + " (models "
                                + d.models() + ", runtime " + d.runtime() + ")");
                startLoad(desired, d);
                continue;
            }
            if (!ld.scheduler().limits().equals(d.limits())) {
                ld.scheduler().updateLimits(d.limits());
                if (ld.predictor() != null) {
                    // Runtimes with limits of their own (a pool of scorer instances) follow the deployment's.
                    ld.predictor().limitsChanged(d.limits());
                }
            }
            // While another generation loads (or after it failed), the live spec stays the one serving, with the
            // new limits: what clients are told (a v2 model_version) is what answers them.
            next = next.withDeployment(
                    ld.spec().generation() == d.generation() || ld.predictor() == null
                            ? ld.withSpec(d)
                            : ld.withSpec(ld.spec().withLimits(d.limits())));
            ReplicaReport load = loads.get(key(name, d.name()));
            if (load == null || load.generation() != d.generation()) {
                logs.append(
                        name,
                        "INFO",
                        "replica " + replicaId + ": loading " + what + " generation " + d.generation()
                                + " beside the one serving (models " + d.models() + ")");
                startLoad(desired, d);
            }
        }
        for (LiveDeployment gone : List.copyOf(next.deployments().values())) {
            if (!wanted.contains(gone.name())) {
                next = next.withoutDeployment(gone.name());
                loads.remove(key(name, gone.name()));
                live.deploymentRemoved(name, gone.name());
                if (gone.predictor() != null) {
                    retire(name, gone);
                }
            }
        }
        live.put(withLocalState(next));
    }

    /** The service's state here is its primary deployment's. */
    private static LiveService withLocalState(LiveService service) {
        LiveDeployment primary =
                service.deployments().get(service.record().primary().name());
        if (primary == null) {
            return service;
        }
        return service.withRecord(service.record().withState(primary.state(), primary.error()));
    }

    private static String key(String service, String deployment) {
        return service + "/" + deployment;
    }

    /** Unloads a service that no longer exists; its requests in flight finish first. */
    public synchronized void remove(String name) {
        appliedAt.put(name, System.nanoTime());
        LiveService was = live.remove(name);
        if (was == null) {
            return;
        }
        for (LiveDeployment d : was.deployments().values()) {
            loads.remove(key(name, d.name()));
            live.deploymentRemoved(name, d.name());
            if (d.predictor() != null) {
                retire(name, d);
            }
        }
    }

    private void startLoad(ServiceRecord desired, DeploymentSpec d) {
        loads.put(
                key(desired.name(), d.name()),
                report(desired.name(), d.name(), d.generation(), ServiceState.Transitioning, null));
        ServiceRecord view = desired.only(d.name());
        loader.execute(() -> load(view));
    }

    /** Loads {@code record}'s one deployment (a view made by {@link ServiceRecord#only}). */
    private void load(ServiceRecord record) {
        DeploymentSpec d = record.primary();
        Predictor predictor = null;
        String error = null;
        ServiceLogger log = d.name().equals(DeploymentSpec.DEFAULT)
                ? logs.forService(record.name())
                : new DeploymentLog(logs.forService(record.name()), d.name());
        long started = System.nanoTime();
        Path workDir = workRoot.resolve(record.name()).resolve(d.name()).resolve(Long.toString(System.nanoTime(), 36));
        try {
            List<ModelRecord> loaded = new ArrayList<>();
            for (ModelRef ref : d.models()) {
                loaded.add(models.get(ref));
            }
            ModelRuntime runtime = runtimes.require(d.runtime());
            predictor = runtime.load(new LoadContext(record, loaded, artifacts, log, workDir));
        } catch (ScoriaException e) {
            error = e.getMessage();
            log.error("deployment failed: " + error, e.kind() == ErrorKind.INTERNAL ? e : null);
        } catch (Throwable e) {
            error = "the " + d.runtime() + " runtime could not load the service: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            log.error("deployment failed", e);
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        finishLoad(record.name(), d, predictor, error, took, workDir);
    }

    private synchronized void finishLoad(
            String name, DeploymentSpec loadedFor, Predictor predictor, String error, long took, Path workDir) {
        String deployment = loadedFor.name();
        LiveService service = live.raw(name);
        LiveDeployment current = service == null ? null : service.deployments().get(deployment);
        ReplicaReport load = loads.get(key(name, deployment));
        if (current == null || load == null || load.generation() != loadedFor.generation()) {
            // Deleted, or a newer generation was asked for while this one loaded: nothing to switch to.
            if (predictor != null) {
                closeQuietly(name, predictor);
            }
            deleteTree(workDir);
            return;
        }
        String what = service.record().deployments().size() > 1 ? "deployment '" + deployment + "'" : "service";
        if (error == null) {
            loads.put(
                    key(name, deployment),
                    report(name, deployment, loadedFor.generation(), ServiceState.Healthy, null));
            DeploymentSpec serving = loadedFor.withLimits(current.scheduler().limits());
            live.put(withLocalState(service.withDeployment(new LiveDeployment(
                    serving, ServiceState.Healthy, null, predictor, current.scheduler(), took, workDir))));
            if (current.predictor() != null) {
                retire(name, current);
            }
            logs.append(
                    name,
                    "INFO",
                    "replica " + replicaId + ": " + what + " generation " + loadedFor.generation() + " loaded in "
                            + took + " ms; " + what + " is Healthy");
            return;
        }
        loads.put(key(name, deployment), report(name, deployment, loadedFor.generation(), ServiceState.Failed, error));
        deleteTree(workDir);
        if (current.predictor() != null) {
            // A failed update leaves the version that was serving in place.
            logs.append(
                    name,
                    "ERROR",
                    "replica " + replicaId + ": " + what + " generation " + loadedFor.generation() + " failed to load ("
                            + error + "); the previous generation keeps serving");
        } else {
            live.put(withLocalState(service.withDeployment(current.withState(ServiceState.Failed, error))));
            logs.append(name, "ERROR", "replica " + replicaId + ": " + what + " is Failed: " + error);
        }
    }

    /**
     * Closes a predictor that was swapped out, once the requests that may still use it are done: when
     * nothing is in flight, and at the latest when a request admitted before the swap must have ended.
     */
    private void retire(String service, LiveDeployment old) {
        ServiceScheduler scheduler = old.scheduler();
        long bound = scheduler == null
                ? 0
                : (long) old.spec().limits().maxQueueWaitMs()
                        + old.spec().limits().scoringTimeoutMs()
                        + 1000;
        // Even an idle service gets a moment: a request may have read the old view just before the swap.
        timers.schedule(
                () -> closeWhenIdle(service, old, System.currentTimeMillis() + bound), 50, TimeUnit.MILLISECONDS);
    }

    private void closeWhenIdle(String service, LiveDeployment old, long deadline) {
        ServiceScheduler scheduler = old.scheduler();
        if (scheduler != null
                && scheduler.running() + scheduler.queueDepth() > 0
                && System.currentTimeMillis() < deadline) {
            timers.schedule(() -> closeWhenIdle(service, old, deadline), 50, TimeUnit.MILLISECONDS);
            return;
        }
        closeQuietly(service, old.predictor());
        if (old.workDir() != null) {
            deleteTree(old.workDir());
        }
    }

    /** What this replica reports about each deployment it knows: the local truth the overall state is made from. */
    public List<ReplicaReport> reports() {
        List<ReplicaReport> result = new ArrayList<>();
        for (ReplicaReport load : loads.values()) {
            LiveService service = live.raw(load.service());
            LiveDeployment d = service == null ? null : service.deployment(load.deployment());
            if (d != null && load.state() == ServiceState.Healthy && d.state() == ServiceState.Unhealthy) {
                result.add(report(
                        load.service(), load.deployment(), load.generation(), ServiceState.Unhealthy, d.error()));
            } else {
                result.add(load);
            }
        }
        result.sort(Comparator.comparing(ReplicaReport::service).thenComparing(ReplicaReport::deployment));
        return result;
    }

    /** The scoring every service of this replica runs away from the event loops now. */
    public OffLoopWork offLoopWork() {
        return offLoop;
    }

    /**
     * Whether this replica should get traffic: the deployments that existed when it started have finished
     * their first load (loaded or failed). A service deployed later does not make it unready: every replica
     * loads it at once, and a balancer must not take them all out while they do.
     */
    public boolean ready() {
        if (!synced) {
            return false;
        }
        if (!startupLoads.isEmpty()) {
            startupLoads.removeIf(key -> {
                ReplicaReport load = loads.get(key);
                return load == null || load.state() != ServiceState.Transitioning;
            });
        }
        return startupLoads.isEmpty();
    }

    public String replicaId() {
        return replicaId;
    }

    private ReplicaReport report(String service, String deployment, long generation, ServiceState state, String error) {
        return new ReplicaReport(replicaId, service, deployment, generation, state, error, Instant.now());
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}", root, e);
        }
    }

    private static void closeQuietly(String name, Predictor predictor) {
        try {
            predictor.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the predictor of service {} failed", name, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        loader.shutdownNow();
        scorers.shutdownNow();
        timers.shutdownNow();
        for (LiveService s : live.all()) {
            if (s.predictor() != null) {
                closeQuietly(s.record().name(), s.predictor());
            }
        }
    }

    /** A deployment's lines in its service's log, each saying which deployment wrote it. */
    private record DeploymentLog(ServiceLogger service, String deployment) implements ServiceLogger {
        @Override
        public void info(String message) {
            service.info("[" + deployment + "] " + message);
        }

        @Override
        public void warn(String message) {
            service.warn("[" + deployment + "] " + message);
        }

        @Override
        public void error(String message, Throwable cause) {
            service.error("[" + deployment + "] " + message, cause);
        }
    }
}
