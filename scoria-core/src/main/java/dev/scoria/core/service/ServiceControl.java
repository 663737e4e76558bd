package dev.scoria.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.Names;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.auth.AccessToken;
import dev.scoria.core.auth.SecretGenerator;
import dev.scoria.core.auth.TokenService;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.model.ModelRegistry;
import dev.scoria.core.replica.ReplicaRecord;
import dev.scoria.core.replica.ReplicaReport;
import dev.scoria.core.runtime.RuntimeRegistry;
import dev.scoria.core.store.ServiceChange;
import dev.scoria.core.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The management side of services: deploy, update, delete, keys, tokens, and the state every live
 * replica reports. Each change is committed to the store (under a row lock, so concurrent calls on
 * different replicas are safe) before it is applied here and before the caller is answered; the
 * other replicas pick it up through their {@link Reconciler}.
 */
public final class ServiceControl {

    private static final Pattern KEY_VALUE = Pattern.compile("^[A-Za-z0-9_\\-]{32,128}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final ModelRegistry models;
    private final ArtifactStore artifacts;
    private final RuntimeRegistry runtimes;
    private final ServiceLogs logs;
    private final Reconciler reconciler;

    public ServiceControl(
            Store store,
            ModelRegistry models,
            ArtifactStore artifacts,
            RuntimeRegistry runtimes,
            ServiceLogs logs,
            Reconciler reconciler) {
        this.store = store;
        this.models = models;
        this.artifacts = artifacts;
        this.runtimes = runtimes;
        this.logs = logs;
        this.reconciler = reconciler;
    }

    public Operation deploy(DeployRequest request) {
        String name = Names.requireServiceName(request.name());
        ServiceSettings settings = Objects.requireNonNullElse(request.settings(), ServiceSettings.DEFAULTS);
        InferenceSpec inference = settings.inference();
        runtimes.require(inference.runtime()).validate(inference);
        if (inference.code() != null && !artifacts.contains(inference.code().sha256())) {
            throw ScoriaException.badInput("code package " + inference.code().sha256()
                    + " was not uploaded: upload it first" + " (POST /api/v1/code)");
        }
        List<ModelRef> refs = requireModels(request.models());
        SchemaSpec schema = request.schema() == null ? SchemaSpec.NONE : request.schema();
        requireSchema(schema);
        Instant now = Instant.now();
        ServiceRecord record = new ServiceRecord(
                name,
                settings,
                refs,
                new ServiceKeys(SecretGenerator.newSecret(), SecretGenerator.newSecret()),
                schema,
                ServiceState.Transitioning,
                null,
                now,
                now,
                1);
        Operation op = new Operation(
                UUID.randomUUID().toString(),
                name,
                "Create",
                Operation.State.Running,
                null,
                now,
                now,
                record.generation());
        try {
            store.insertService(record, op);
        } catch (ScoriaException e) {
            if (e.kind() == ErrorKind.CONFLICT) {
                throw ScoriaException.conflict("service '" + name + "' already exists: delete it first, or update it");
            }
            throw e;
        }
        logs.append(name, "INFO", "deploying service with models " + refs + " on runtime " + inference.runtime());
        reconciler.apply(record);
        return op;
    }

    public Operation update(String name, ServiceUpdate update) {
        if (update.models() != null) {
            requireModels(update.models());
        }
        boolean failedBefore = status(storedRecord(name)).state() == ServiceState.Failed;
        settleRunning(name);
        Instant now = Instant.now();
        ServiceChange.Result result = store.changeService(name, (current, running) -> {
            requireIdle(name, running);
            ServiceRecord changed = current.withSettings(update.settings().applyTo(current.settings()));
            boolean reload = update.models() != null && (!update.models().equals(current.models()) || failedBefore);
            if (!reload) {
                return new ServiceChange.Result(
                        changed,
                        new Operation(
                                UUID.randomUUID().toString(),
                                name,
                                "Update",
                                Operation.State.Succeeded,
                                null,
                                now,
                                now,
                                0));
            }
            ServiceRecord next = changed.withModels(update.models())
                    .withState(ServiceState.Transitioning, null)
                    .nextGeneration();
            return new ServiceChange.Result(
                    next,
                    new Operation(
                            UUID.randomUUID().toString(),
                            name,
                            "Update",
                            Operation.State.Running,
                            null,
                            now,
                            now,
                            next.generation()));
        });
        ServiceRecord updated = result.updated();
        logs.append(
                name,
                "INFO",
                result.operation().state() == Operation.State.Running
                        ? "updating service to models " + updated.models() + " (generation " + updated.generation()
                                + ")"
                        : "service settings updated");
        reconciler.apply(updated);
        return result.operation();
    }

    public void delete(String name) {
        settleRunning(name);
        store.changeService(name, (current, running) -> {
            requireIdle(name, running);
            return new ServiceChange.Result(null, null);
        });
        reconciler.remove(name);
        logs.delete(name);
    }

    public ServiceKeys regenerateKey(String name, KeyType type, String keyValue) {
        if (keyValue != null && !KEY_VALUE.matcher(keyValue).matches()) {
            throw ScoriaException.badInput("keyValue must be 32 to 128 characters of letters, digits, '-' or '_' (saw "
                    + keyValue.length() + " characters)");
        }
        String value = keyValue == null ? SecretGenerator.newSecret() : keyValue;
        ServiceChange.Result result = store.changeService(name, (current, running) -> {
            ServiceKeys keys = type == KeyType.Primary
                    ? new ServiceKeys(value, current.keys().secondary())
                    : new ServiceKeys(current.keys().primary(), value);
            return new ServiceChange.Result(current.withKeys(keys), null);
        });
        reconciler.apply(result.updated());
        logs.append(name, "INFO", type + " key regenerated");
        return result.updated().keys();
    }

    /** An access token for a token-auth service. */
    public AccessToken token(String name, TokenService tokens) {
        ServiceRecord service = storedRecord(name);
        if (service.authMode() != AuthMode.TOKEN) {
            throw ScoriaException.badInput("service '" + name + "' uses "
                    + service.authMode().wireName() + " auth: token auth is not enabled (update it with --auth token)");
        }
        return tokens.issue(name, service.createdTime());
    }

    /** The service as clients see it: its committed settings with the state its live replicas report. */
    public ServiceRecord get(String name) {
        ServiceRecord stored = storedRecord(name);
        return status(stored).applyTo(stored);
    }

    /** The service with its overall state and each live replica's report. */
    public ServiceView view(String name) {
        ServiceRecord stored = storedRecord(name);
        ServiceStatus status = status(stored);
        return new ServiceView(status.applyTo(stored), status.replicas());
    }

    /**
     * Services matching every filter given (null filters match everything), with their overall state.
     * {@code tags} and {@code properties} are comma-separated {@code key} or {@code key=value} terms.
     */
    public List<ServiceView> list(String modelName, String modelId, String tags, String properties) {
        ModelRef id = modelId == null ? null : ModelRef.parse(modelId);
        List<ServiceRecord> all = store.listServices();
        StatusInputs inputs = statusInputs(null);
        List<ServiceView> result = new ArrayList<>();
        for (ServiceRecord r : all) {
            if (modelName != null && r.models().stream().noneMatch(m -> m.name().equals(modelName))) {
                continue;
            }
            if (id != null && !r.models().contains(id)) {
                continue;
            }
            if (!matchesTerms(r.settings().tags(), tags)
                    || !matchesTerms(r.settings().properties(), properties)) {
                continue;
            }
            ServiceStatus status = inputs.statusOf(r);
            result.add(new ServiceView(status.applyTo(r), status.replicas()));
        }
        return result;
    }

    /** The operation, ended first if every live replica has finished with it. */
    public Optional<Operation> operation(String id) {
        Optional<Operation> op = store.findOperation(id);
        if (op.isPresent() && op.get().state() == Operation.State.Running) {
            settle(op.get());
            return store.findOperation(id);
        }
        return op;
    }

    /** Ends every running operation whose outcome the replicas' reports now decide (called on every heartbeat). */
    public void settleRunningOperations() {
        for (Operation op : store.runningOperations()) {
            settle(op);
        }
    }

    public List<ReplicaRecord> replicas() {
        return store.listReplicas();
    }

    public String logs(String name, int tail) {
        storedRecord(name);
        return logs.tail(name, tail);
    }

    private void settleRunning(String name) {
        for (Operation op : store.runningOperations()) {
            if (op.serviceName().equals(name)) {
                settle(op);
            }
        }
    }

    private void settle(Operation op) {
        Optional<ServiceRecord> service = store.findService(op.serviceName());
        if (service.isEmpty()) {
            store.finishOperation(op.id(), Operation.State.Failed, "the service was deleted");
            return;
        }
        ServiceRecord record = service.get();
        if (record.generation() > op.generation()) {
            store.finishOperation(op.id(), Operation.State.Failed, "superseded by generation " + record.generation());
            return;
        }
        ServiceStatus status = status(record);
        switch (status.state()) {
            case Healthy, Unhealthy -> store.finishOperation(op.id(), Operation.State.Succeeded, null);
            case Failed -> store.finishOperation(op.id(), Operation.State.Failed, status.error());
            default -> {
                // Still loading on some live replica.
            }
        }
    }

    private ServiceStatus status(ServiceRecord record) {
        return statusInputs(record.name()).statusOf(record);
    }

    /** The live replicas and their reports, this replica's own taken from memory (fresher than the store). */
    private StatusInputs statusInputs(String service) {
        Instant now = Instant.now();
        List<String> liveReplicas = new ArrayList<>();
        for (ReplicaRecord replica : store.listReplicas()) {
            if (replica.liveAt(now) || replica.id().equals(reconciler.replicaId())) {
                liveReplicas.add(replica.id());
            }
        }
        if (!liveReplicas.contains(reconciler.replicaId())) {
            liveReplicas.add(reconciler.replicaId());
        }
        Map<String, Map<String, ReplicaReport>> byService = new HashMap<>();
        for (ReplicaReport report : store.serviceReports(service)) {
            if (!report.replicaId().equals(reconciler.replicaId())) {
                byService
                        .computeIfAbsent(report.service(), k -> new HashMap<>())
                        .put(report.replicaId(), report);
            }
        }
        for (ReplicaReport report : reconciler.reports()) {
            byService.computeIfAbsent(report.service(), k -> new HashMap<>()).put(report.replicaId(), report);
        }
        return new StatusInputs(liveReplicas.stream().sorted().toList(), byService);
    }

    private record StatusInputs(List<String> liveReplicas, Map<String, Map<String, ReplicaReport>> reports) {
        ServiceStatus statusOf(ServiceRecord record) {
            return ServiceStatus.of(record, liveReplicas, reports.getOrDefault(record.name(), Map.of()));
        }
    }

    private ServiceRecord storedRecord(String name) {
        return store.findService(name)
                .orElseThrow(() -> ScoriaException.notFound("service '" + name + "' does not exist"));
    }

    private List<ModelRef> requireModels(List<ModelRef> refs) {
        if (refs == null || refs.isEmpty()) {
            throw ScoriaException.badInput(
                    "models is empty: a service needs at least one registered model (name:version)");
        }
        for (ModelRef ref : refs) {
            models.get(ref);
        }
        return List.copyOf(refs);
    }

    private static void requireIdle(String name, Operation running) {
        if (running != null) {
            throw ScoriaException.conflict("service '" + name + "' has operation " + running.id()
                    + " in progress: wait until it ends, then try again");
        }
    }

    private static JsonNode requireJson(String field, String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw ScoriaException.badInput(field + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
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
            JsonNode doc = requireJson("swagger", schema.swagger());
            if (!doc.isObject()
                    || !(doc.path("swagger").asText().equals("2.0")
                            || doc.path("openapi").asText().startsWith("3."))) {
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
}
