package dev.scoria.core.service;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.Names;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.auth.SecretGenerator;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.model.ModelRegistry;
import dev.scoria.core.runtime.LoadContext;
import dev.scoria.core.runtime.ModelRuntime;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.RuntimeRegistry;
import dev.scoria.core.store.Store;
import dev.scoria.scorer.ServiceLogger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service state machine: Transitioning → Healthy | Failed, driven by deploy, update, delete and
 * restart. Every change is committed to the store before the live view is switched and before the
 * caller is answered. Model loading runs on its own threads, never on the caller's.
 */
public final class ServiceManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceManager.class);
    private static final Pattern KEY_VALUE = Pattern.compile("^[A-Za-z0-9_\\-]{32,128}$");

    private final Store store;
    private final ModelRegistry models;
    private final ArtifactStore artifacts;
    private final RuntimeRegistry runtimes;
    private final ServiceLogs logs;
    private final java.nio.file.Path workRoot;
    private final ExecutorService loader;
    private final Map<String, LiveService> live = new ConcurrentHashMap<>();
    /** Service name → id of the operation in progress on it; a second one is refused with 409. */
    private final Map<String, String> busy = new ConcurrentHashMap<>();
    private final Map<String, dev.scoria.core.scheduling.ServiceScheduler> schedulers = new ConcurrentHashMap<>();
    private final Map<String, Long> loadMillis = new ConcurrentHashMap<>();
    /** Threads that score: one per request in flight, bounded by the services' concurrency limits. */
    private final ExecutorService scorers = Executors.newCachedThreadPool(daemonThreads("scoria-score-"));
    private final java.util.concurrent.ScheduledThreadPoolExecutor timers = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
            daemonThreads("scoria-timer-"));

    /** @param workRoot where runtimes may unpack a service's files, one folder per service */
    public ServiceManager(Store store, ModelRegistry models, ArtifactStore artifacts, RuntimeRegistry runtimes,
            ServiceLogs logs, java.nio.file.Path workRoot) {
        this.workRoot = workRoot;
        this.store = store;
        this.models = models;
        this.artifacts = artifacts;
        this.runtimes = runtimes;
        this.logs = logs;
        this.loader = Executors.newFixedThreadPool(Math.max(2, java.lang.Runtime.getRuntime().availableProcessors()),
                daemonThreads("scoria-loader-"));
        timers.setRemoveOnCancelPolicy(true);
    }

    /** Restores every stored service: each is reloaded from its models, as after a deploy. */
    public synchronized void start() {
        deleteTree(workRoot);
        int interrupted = store.failRunningOperations("interrupted by a server restart");
        if (interrupted > 0) {
            LOG.warn("{} operation(s) were running when the server stopped; marked Failed", interrupted);
        }
        for (ServiceRecord service : store.listServices()) {
            if (service.state() == ServiceState.Deleting) {
                store.deleteService(service.name());
                continue;
            }
            ServiceRecord transitioning = service.withState(ServiceState.Transitioning, null);
            store.updateService(transitioning);
            live.put(service.name(), new LiveService(transitioning, null));
            syncScheduler(transitioning);
            logs.append(service.name(), "INFO", "server started: loading service");
            loadAsync(transitioning, null);
        }
    }

    public synchronized Operation deploy(DeployRequest request) {
        String name = Names.requireServiceName(request.name());
        InferenceSpec inference = request.inference() == null ? InferenceSpec.of("onnx") : request.inference();
        runtimes.require(inference.runtime()).validate(inference);
        if (inference.code() != null && !artifacts.contains(inference.code().sha256())) {
            throw ScoriaException.badInput("code package " + inference.code().sha256() + " was not uploaded: upload it first"
                    + " (POST /api/v1/code)");
        }
        List<ModelRef> refs = requireModels(request.models());
        SchemaSpec schema = request.schema() == null ? SchemaSpec.NONE : request.schema();
        requireSchema(schema);
        String runtime = inference.runtime();
        Instant now = Instant.now();
        ServiceRecord record = new ServiceRecord(name,
                Objects.requireNonNullElse(request.description(), ""),
                Map.copyOf(Objects.requireNonNullElse(request.tags(), Map.of())),
                Map.copyOf(Objects.requireNonNullElse(request.properties(), Map.of())),
                inference, refs,
                Objects.requireNonNullElse(request.authMode(), AuthMode.KEY),
                new ServiceKeys(SecretGenerator.newSecret(), SecretGenerator.newSecret()),
                Objects.requireNonNullElse(request.limits(), ServiceLimits.DEFAULTS),
                CorsOrigins.validate(Objects.requireNonNullElse(request.corsOrigins(), List.of())),
                schema, ServiceState.Transitioning, null, now, now);
        Operation op = new Operation(UUID.randomUUID().toString(), name, "Create", Operation.State.Running, null, now, now);
        if (busy.containsKey(name) || live.containsKey(name)) {
            throw ScoriaException.conflict("service '" + name + "' already exists: delete it first, or update it");
        }
        store.insertService(record, op);
        busy.put(name, op.id());
        live.put(name, new LiveService(record, null));
        syncScheduler(record);
        logs.append(name, "INFO", "deploying service with models " + refs + " on runtime " + runtime);
        loadAsync(record, op);
        return op;
    }

    public synchronized Operation update(String name, ServiceUpdate update) {
        ServiceRecord current = storedRecord(name);
        requireIdle(name);
        ServiceLimits old = current.limits();
        ServiceLimits limits = new ServiceLimits(
                Objects.requireNonNullElse(update.scoringTimeoutMs(), old.scoringTimeoutMs()),
                Objects.requireNonNullElse(update.maxConcurrentRequestsPerContainer(), old.maxConcurrentRequestsPerContainer()),
                Objects.requireNonNullElse(update.maxQueueWaitMs(), old.maxQueueWaitMs()),
                Objects.requireNonNullElse(update.maxBatchSize(), old.maxBatchSize()),
                Objects.requireNonNullElse(update.maxBatchDelayMicros(), old.maxBatchDelayMicros()));
        ServiceRecord changed = current.withSettings(
                Objects.requireNonNullElse(update.description(), current.description()),
                update.tags() == null ? current.tags() : Map.copyOf(update.tags()),
                update.properties() == null ? current.properties() : Map.copyOf(update.properties()),
                Objects.requireNonNullElse(update.authMode(), current.authMode()),
                limits);
        if (update.corsOrigins() != null) {
            changed = changed.withCorsOrigins(CorsOrigins.validate(update.corsOrigins()));
        }
        Instant now = Instant.now();
        boolean reload = update.models() != null && !update.models().equals(current.models())
                || current.state() == ServiceState.Failed && update.models() != null;
        if (!reload) {
            store.updateService(changed);
            LiveService was = live.get(name);
            live.put(name, new LiveService(changed, was == null ? null : was.predictor()));
            syncScheduler(changed);
            logs.append(name, "INFO", "service settings updated");
            Operation done = new Operation(UUID.randomUUID().toString(), name, "Update", Operation.State.Succeeded, null, now, now);
            store.insertOperation(done);
            return done;
        }
        List<ModelRef> refs = requireModels(update.models());
        ServiceRecord transitioning = changed.withModels(refs).withState(ServiceState.Transitioning, null);
        Operation op = new Operation(UUID.randomUUID().toString(), name, "Update", Operation.State.Running, null, now, now);
        store.updateService(transitioning);
        store.insertOperation(op);
        busy.put(name, op.id());
        LiveService was = live.get(name);
        // The old predictor keeps serving until the new one is ready.
        live.put(name, new LiveService(transitioning, was == null ? null : was.predictor()));
        syncScheduler(transitioning);
        logs.append(name, "INFO", "updating service to models " + refs);
        loadAsync(transitioning, op);
        return op;
    }

    public synchronized void delete(String name) {
        ServiceRecord current = storedRecord(name);
        requireIdle(name);
        store.updateService(current.withState(ServiceState.Deleting, null));
        LiveService was = live.remove(name);
        schedulers.remove(name);
        store.deleteService(name);
        logs.delete(name);
        if (was != null && was.predictor() != null) {
            closeQuietly(name, was.predictor());
        }
        deleteTree(workRoot.resolve(name));
    }

    public synchronized ServiceKeys regenerateKey(String name, KeyType type, String keyValue) {
        ServiceRecord current = storedRecord(name);
        String value = keyValue == null ? SecretGenerator.newSecret() : keyValue;
        if (keyValue != null && !KEY_VALUE.matcher(keyValue).matches()) {
            throw ScoriaException.badInput("keyValue must be 32 to 128 characters of letters, digits, '-' or '_' (saw "
                    + keyValue.length() + " characters)");
        }
        ServiceKeys keys = type == KeyType.Primary
                ? new ServiceKeys(value, current.keys().secondary())
                : new ServiceKeys(current.keys().primary(), value);
        ServiceRecord changed = current.withKeys(keys);
        store.updateService(changed);
        LiveService was = live.get(name);
        live.put(name, new LiveService(changed, was == null ? null : was.predictor()));
        logs.append(name, "INFO", type + " key regenerated");
        return keys;
    }

    /** An access token for a token-auth service. */
    public dev.scoria.core.auth.AccessToken token(String name, dev.scoria.core.auth.TokenService tokens) {
        ServiceRecord service = get(name);
        if (service.authMode() != AuthMode.TOKEN) {
            throw ScoriaException.badInput("service '" + name + "' uses " + service.authMode().wireName()
                    + " auth: token auth is not enabled (update it with --auth token)");
        }
        return tokens.issue(name, service.createdTime());
    }

    /** The service as clients see it (Unhealthy while its predictor reports a problem). */
    public ServiceRecord get(String name) {
        return storedView(name).current().record();
    }

    /** The live view without the predictor's health applied: what changes are made from and stored. */
    private LiveService storedView(String name) {
        LiveService service = live.get(name);
        if (service == null) {
            throw ScoriaException.notFound("service '" + name + "' does not exist");
        }
        return service;
    }

    private ServiceRecord storedRecord(String name) {
        return storedView(name).record();
    }

    /** How long the service's last successful load took, in milliseconds (0 if none yet). */
    public long loadMillis(String name) {
        return loadMillis.getOrDefault(name, 0L);
    }

    /** The admission control of a service (created with it, kept across updates), or null for an unknown one. */
    public dev.scoria.core.scheduling.ServiceScheduler scheduler(String name) {
        return schedulers.get(name);
    }

    private void syncScheduler(ServiceRecord record) {
        schedulers.compute(record.name(), (name, existing) -> {
            if (existing == null) {
                return new dev.scoria.core.scheduling.ServiceScheduler(name, record.limits(), scorers, timers);
            }
            if (!existing.limits().equals(record.limits())) {
                existing.updateLimits(record.limits());
            }
            return existing;
        });
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The live view the data plane scores against, or null for an unknown service. */
    public LiveService live(String name) {
        LiveService service = live.get(name);
        return service == null ? null : service.current();
    }

    /**
     * Services matching every filter given (null filters match everything). {@code tags} and
     * {@code properties} are comma-separated {@code key} or {@code key=value} terms.
     */
    public List<ServiceRecord> list(String modelName, String modelId, String tags, String properties) {
        ModelRef id = modelId == null ? null : ModelRef.parse(modelId);
        List<ServiceRecord> result = new ArrayList<>();
        for (LiveService s : live.values()) {
            ServiceRecord r = s.current().record();
            if (modelName != null && r.models().stream().noneMatch(m -> m.name().equals(modelName))) {
                continue;
            }
            if (id != null && !r.models().contains(id)) {
                continue;
            }
            if (!matchesTerms(r.tags(), tags) || !matchesTerms(r.properties(), properties)) {
                continue;
            }
            result.add(r);
        }
        result.sort((a, b) -> a.name().compareTo(b.name()));
        return result;
    }

    public Optional<Operation> operation(String id) {
        return store.findOperation(id);
    }

    public String logs(String name, int tail) {
        get(name);
        return logs.tail(name, tail);
    }

    public ServiceLogger logger(String name) {
        return logs.forService(name);
    }

    private void loadAsync(ServiceRecord record, Operation op) {
        loader.execute(() -> {
            Predictor predictor = null;
            String error = null;
            ServiceLogger log = logs.forService(record.name());
            long started = System.nanoTime();
            try {
                List<ModelRecord> loaded = new ArrayList<>();
                for (ModelRef ref : record.models()) {
                    loaded.add(models.get(ref));
                }
                ModelRuntime runtime = runtimes.require(record.runtime());
                java.nio.file.Path workDir = workRoot.resolve(record.name()).resolve(Long.toString(System.nanoTime(), 36));
                predictor = runtime.load(new LoadContext(record, loaded, artifacts, log, workDir));
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                loadMillis.put(record.name(), took);
                log.info("service loaded in " + took + " ms");
            } catch (ScoriaException e) {
                error = e.getMessage();
                log.error("deployment failed: " + error, e.kind() == ErrorKind.INTERNAL ? e : null);
            } catch (Throwable e) {
                error = "the " + record.runtime() + " runtime could not load the service: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                log.error("deployment failed", e);
            }
            finishLoad(record.name(), predictor, error, op);
        });
    }

    private synchronized void finishLoad(String name, Predictor predictor, String error, Operation op) {
        busy.remove(name);
        LiveService was = live.get(name);
        if (was == null) {
            // Deleted while loading: nothing to switch to.
            if (predictor != null) {
                closeQuietly(name, predictor);
            }
            return;
        }
        ServiceRecord current = was.record();
        ServiceRecord settled = error == null
                ? current.withState(ServiceState.Healthy, null)
                : current.withState(ServiceState.Failed, error);
        store.updateService(settled);
        // The live view switches before the operation is marked done, so whoever polls the operation and
        // then reads the service sees the settled state.
        live.put(name, new LiveService(settled, predictor));
        if (op != null) {
            store.updateOperation(op.finish(error == null ? Operation.State.Succeeded : Operation.State.Failed, error));
        }
        if (was.predictor() != null && was.predictor() != predictor) {
            closeQuietly(name, was.predictor());
        }
        keepOnlyNewestWorkDir(name);
        logs.append(name, error == null ? "INFO" : "ERROR", "service is " + settled.state()
                + (error == null ? "" : ": " + error));
    }

    private List<ModelRef> requireModels(List<ModelRef> refs) {
        if (refs == null || refs.isEmpty()) {
            throw ScoriaException.badInput("models is empty: a service needs at least one registered model (name:version)");
        }
        for (ModelRef ref : refs) {
            models.get(ref);
        }
        return List.copyOf(refs);
    }

    private void requireIdle(String name) {
        String op = busy.get(name);
        if (op != null) {
            throw ScoriaException.conflict("service '" + name + "' has operation " + op
                    + " in progress: wait until it ends, then try again");
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode requireJson(String field, String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw ScoriaException.badInput(field + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void requireSchema(SchemaSpec schema) {
        if (schema.inputExample() != null) {
            requireJson("inputExample", schema.inputExample());
        }
        if (schema.outputExample() != null) {
            requireJson("outputExample", schema.outputExample());
        }
        if (schema.swagger() != null) {
            var doc = requireJson("swagger", schema.swagger());
            if (!doc.isObject() || !(doc.path("swagger").asText().equals("2.0") || doc.path("openapi").asText().startsWith("3."))) {
                throw ScoriaException.badInput("swagger must be a Swagger 2.0 or OpenAPI 3 document (a JSON object with"
                        + " \"swagger\": \"2.0\" or \"openapi\": \"3.x\")");
            }
        }
    }

    private static boolean matchesTerms(Map<String, String> values, String terms) {
        if (terms == null || terms.isBlank()) {
            return true;
        }
        for (String term : terms.split(",")) {
            String t = term.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0 ? !values.containsKey(t) : !t.substring(eq + 1).equals(values.get(t.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** Removes the working folders of a service's earlier loads, now that their predictors are closed. */
    private void keepOnlyNewestWorkDir(String name) {
        java.nio.file.Path dir = workRoot.resolve(name);
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (var generations = java.nio.file.Files.list(dir)) {
            List<java.nio.file.Path> all = generations.sorted().toList();
            for (int i = 0; i < all.size() - 1; i++) {
                deleteTree(all.get(i));
            }
        } catch (java.io.IOException e) {
            LOG.warn("could not list the working folders of service {}", name, e);
        }
    }

    private static void deleteTree(java.nio.file.Path root) {
        if (!java.nio.file.Files.exists(root)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            LOG.warn("could not delete {}", root, e);
        }
    }

    private void closeQuietly(String name, Predictor predictor) {
        try {
            predictor.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the predictor of service {} failed", name, e);
        }
    }

    @Override
    public void close() {
        loader.shutdownNow();
        scorers.shutdownNow();
        timers.shutdownNow();
        for (LiveService s : live.values()) {
            if (s.predictor() != null) {
                closeQuietly(s.record().name(), s.predictor());
            }
        }
        live.clear();
    }
}
