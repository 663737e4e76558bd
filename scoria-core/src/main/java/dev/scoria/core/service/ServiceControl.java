package dev.scoria.core.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.JsonErrors;
import dev.scoria.core.Names;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.auth.AccessToken;
import dev.scoria.core.auth.SecretGenerator;
import dev.scoria.core.auth.TokenService;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.model.ModelRegistry;
import dev.scoria.core.replica.ReplicaRecord;
import dev.scoria.core.replica.ReplicaReport;
import dev.scoria.core.runtime.RuntimeRegistry;
import dev.scoria.core.schema.SampleSchemas;
import dev.scoria.core.store.ServiceChange;
import dev.scoria.core.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
        List<ModelRef> refs = refsOf(request.models());
        InferenceSpec inference = requireRunnable(settings.inference(), refs);
        SchemaSpec schema = requireSchema(request.schema() == null ? SchemaSpec.NONE : request.schema());
        Instant now = Instant.now();
        ServiceRecord record = ServiceRecord.single(
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
                DeploymentSpec.DEFAULT,
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

    /**
     * Changes a service's settings; limits and models go to its deployment when it has one (a service
     * with several is changed one deployment at a time, see {@link #updateDeployment}).
     */
    public Operation update(String name, ServiceUpdate update) {
        ServiceRecord stored = storedRecord(name);
        boolean touchesDeployment = update.models() != null
                || !update.settings().applyTo(stored.settings()).limits().equals(stored.limits());
        if (touchesDeployment && stored.deployments().size() > 1) {
            throw ScoriaException.badInput("service '" + name + "' has deployments " + stored.deploymentNames()
                    + ": change models or limits one deployment at a time (PATCH /api/v1/services/" + name
                    + "/deployments/{deployment}, or scoria deployment update)");
        }
        return changeDeployment(name, stored.primary().name(), update, "Update", true);
    }

    /** Adds a deployment to a service; it takes no traffic until the split gives it some. */
    public Operation createDeployment(String service, DeployRequest request) {
        String deploymentName = DeploymentSpec.checkName(request.name());
        ServiceSettings settings = Objects.requireNonNullElse(request.settings(), ServiceSettings.DEFAULTS);
        List<ModelRef> refs = refsOf(request.models());
        InferenceSpec inference = requireRunnable(settings.inference(), refs);
        SchemaSpec schema = requireSchema(request.schema() == null ? SchemaSpec.NONE : request.schema());
        settleRunning(service);
        Instant now = Instant.now();
        ServiceChange.Result result = store.changeService(service, (current, running) -> {
            requireIdle(service, running);
            if (current.deployment(deploymentName) != null) {
                throw ScoriaException.conflict("service '" + service + "' already has a deployment '" + deploymentName
                        + "': update it, or choose another name");
            }
            DeploymentSpec d = new DeploymentSpec(deploymentName, inference, settings.limits(), refs, schema, 1, now);
            return new ServiceChange.Result(
                    current.withDeployment(d),
                    new Operation(
                            UUID.randomUUID().toString(),
                            service,
                            deploymentName,
                            "CreateDeployment",
                            Operation.State.Running,
                            null,
                            now,
                            now,
                            d.generation()));
        });
        logs.append(
                service,
                "INFO",
                "creating deployment '" + deploymentName + "' with models " + refs + " on runtime "
                        + inference.runtime() + " (no traffic until the split gives it some)");
        reconciler.apply(result.updated());
        return result.operation();
    }

    /** Changes one deployment's limits and, as its next generation, its models. */
    public Operation updateDeployment(String service, String deployment, ServiceUpdate update) {
        storedRecord(service).requireDeployment(deployment);
        return changeDeployment(service, deployment, update, "UpdateDeployment", false);
    }

    private Operation changeDeployment(
            String name, String deployment, ServiceUpdate update, String type, boolean serviceSettings) {
        if (update.models() != null || !update.inference().isEmpty()) {
            // What the deployment will load, checked as a whole: new models against the runtime it keeps, or
            // another runtime against the models it keeps.
            DeploymentSpec stored = storedRecord(name).requireDeployment(deployment);
            requireRunnable(
                    update.inference().applyTo(stored.inference()),
                    update.models() != null ? refsOf(update.models()) : stored.models());
        }
        boolean failedBefore = status(storedRecord(name)).of(deployment).state() == ServiceState.Failed;
        settleRunning(name);
        Instant now = Instant.now();
        ServiceChange.Result result = store.changeService(name, (current, running) -> {
            requireIdle(name, running);
            DeploymentSpec d = current.requireDeployment(deployment);
            ServiceSettings asSettings =
                    current.settings().withInference(d.inference()).withLimits(d.limits());
            ServiceSettings patched = update.settings().applyTo(asSettings);
            ServiceRecord changed = serviceSettings
                    ? current.withSettings(
                            patched.withInference(current.inference()).withLimits(current.limits()))
                    : current;
            InferenceSpec inference = update.inference().applyTo(d.inference());
            List<ModelRef> models = update.models() != null ? update.models() : d.models();
            boolean changesWhatLoads = !models.equals(d.models()) || !inference.equals(d.inference());
            boolean reload = changesWhatLoads
                    || failedBefore
                            && (update.models() != null || !update.inference().isEmpty());
            DeploymentSpec next = d.withLimits(patched.limits());
            if (reload) {
                next = new DeploymentSpec(
                        d.name(), inference, patched.limits(), models, d.schema(), d.generation() + 1, d.createdTime());
            }
            changed = changed.withDeployment(next);
            if (!reload) {
                return new ServiceChange.Result(
                        changed,
                        new Operation(
                                UUID.randomUUID().toString(),
                                name,
                                deployment,
                                type,
                                Operation.State.Succeeded,
                                null,
                                now,
                                now,
                                0));
            }
            return new ServiceChange.Result(
                    changed,
                    new Operation(
                            UUID.randomUUID().toString(),
                            name,
                            deployment,
                            type,
                            Operation.State.Running,
                            null,
                            now,
                            now,
                            next.generation()));
        });
        ServiceRecord updated = result.updated();
        DeploymentSpec d = updated.requireDeployment(deployment);
        String what = updated.deployments().size() > 1 ? "deployment '" + deployment + "'" : "service";
        logs.append(
                name,
                "INFO",
                result.operation().state() == Operation.State.Running
                        ? "updating " + what + " to models " + d.models() + " on runtime " + d.runtime()
                                + " (generation " + d.generation() + ")"
                        : what + " settings updated");
        reconciler.apply(updated);
        return result.operation();
    }

    /** Removes a deployment that takes no traffic and is not the service's last. */
    public void deleteDeployment(String service, String deployment) {
        settleRunning(service);
        ServiceChange.Result result = store.changeService(service, (current, running) -> {
            requireIdle(service, running);
            current.requireDeployment(deployment);
            if (current.deployments().size() == 1) {
                throw ScoriaException.conflict("deployment '" + deployment + "' is the last of service '" + service
                        + "': delete the service instead");
            }
            if (current.traffic().uses(deployment)) {
                int live = current.traffic().percentOf(deployment);
                throw ScoriaException.conflict("deployment '" + deployment + "' takes "
                        + (live > 0
                                ? live + "% of live traffic"
                                : current.traffic().mirrorPercent() + "% mirror traffic")
                        + ": move its traffic to another deployment first (scoria service traffic / mirror)");
            }
            return new ServiceChange.Result(current.withoutDeployment(deployment), null);
        });
        logs.append(service, "INFO", "deployment '" + deployment + "' deleted");
        reconciler.apply(result.updated());
    }

    /**
     * Sets the live traffic split (percentages summing to 100). A mirror that would now take live
     * traffic stops mirroring. Applies at once; every replica follows within a second.
     */
    public ServiceRecord setTraffic(String service, Map<String, Integer> live) {
        settleRunning(service);
        ServiceRecord stored = storedRecord(service);
        ServiceStatus status = status(stored);
        for (Map.Entry<String, Integer> share : live.entrySet()) {
            DeploymentSpec d = stored.deployment(share.getKey());
            if (d == null || share.getValue() <= stored.traffic().percentOf(d.name())) {
                continue;
            }
            // More traffic only to a deployment that answers: its share of requests would otherwise fail.
            ServiceState state = status.of(d.name()).state();
            boolean neverLoaded = state == ServiceState.Transitioning && d.generation() == 1;
            if (state == ServiceState.Failed || neverLoaded) {
                throw ScoriaException.conflict("deployment '" + d.name() + "' is " + state
                        + (status.of(d.name()).error() != null
                                ? " (" + status.of(d.name()).error() + ")"
                                : "")
                        + ": it cannot take more traffic until it is Healthy (scoria deployment show " + service + " "
                        + d.name() + ")");
            }
        }
        ServiceChange.Result result = store.changeService(service, (current, running) -> {
            requireIdle(service, running);
            return new ServiceChange.Result(
                    current.withTraffic(current.traffic().withLive(live)), null);
        });
        logs.append(
                service, "INFO", "traffic set to " + result.updated().traffic().live());
        reconciler.apply(result.updated());
        return result.updated();
    }

    /** Copies {@code percent} of live requests to {@code deployment} (null or 0 % for no mirror). */
    public ServiceRecord setMirror(String service, String deployment, int percent) {
        settleRunning(service);
        ServiceChange.Result result = store.changeService(service, (current, running) -> {
            requireIdle(service, running);
            return new ServiceChange.Result(
                    current.withTraffic(current.traffic().withMirror(deployment, percent)), null);
        });
        ServiceRecord updated = result.updated();
        logs.append(
                service,
                "INFO",
                updated.traffic().mirror() == null
                        ? "mirror traffic stopped"
                        : "mirroring " + updated.traffic().mirrorPercent() + "% of live requests to deployment '"
                                + updated.traffic().mirror() + "'");
        reconciler.apply(updated);
        return updated;
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
            // Both keys equal would leave nothing to rotate to: revoking one would revoke the other.
            String other = type == KeyType.Primary
                    ? current.keys().secondary()
                    : current.keys().primary();
            if (value.equals(other)) {
                throw ScoriaException.conflict("keyValue is already the service's "
                        + (type == KeyType.Primary ? "secondary" : "primary") + " key: choose a different value");
            }
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
        return new ServiceView(status.applyTo(stored), status.replicas(), status.deployments());
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
            List<ModelRef> used =
                    r.deployments().stream().flatMap(d -> d.models().stream()).toList();
            if (modelName != null && used.stream().noneMatch(m -> m.name().equals(modelName))) {
                continue;
            }
            if (id != null && !used.contains(id)) {
                continue;
            }
            if (!matchesTerms(r.settings().tags(), tags)
                    || !matchesTerms(r.settings().properties(), properties)) {
                continue;
            }
            ServiceStatus status = inputs.statusOf(r);
            result.add(new ServiceView(status.applyTo(r), status.replicas(), status.deployments()));
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
        DeploymentSpec d = op.deployment() == null ? record.primary() : record.deployment(op.deployment());
        if (d == null) {
            store.finishOperation(op.id(), Operation.State.Failed, "deployment '" + op.deployment() + "' was deleted");
            return;
        }
        if (d.generation() > op.generation()) {
            store.finishOperation(op.id(), Operation.State.Failed, "superseded by generation " + d.generation());
            return;
        }
        ServiceStatus.DeploymentStatus status = status(record).of(d.name());
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
        Map<String, Map<String, Map<String, ReplicaReport>>> byService = new HashMap<>();
        for (ReplicaReport report : store.serviceReports(service)) {
            if (!report.replicaId().equals(reconciler.replicaId())) {
                add(byService, report);
            }
        }
        for (ReplicaReport report : reconciler.reports()) {
            add(byService, report);
        }
        return new StatusInputs(liveReplicas.stream().sorted().toList(), byService);
    }

    private static void add(Map<String, Map<String, Map<String, ReplicaReport>>> byService, ReplicaReport report) {
        byService
                .computeIfAbsent(report.service(), k -> new HashMap<>())
                .computeIfAbsent(report.deployment(), k -> new HashMap<>())
                .put(report.replicaId(), report);
    }

    /** Live replicas, and their reports by service, deployment and replica. */
    private record StatusInputs(
            List<String> liveReplicas, Map<String, Map<String, Map<String, ReplicaReport>>> reports) {
        ServiceStatus statusOf(ServiceRecord record) {
            return ServiceStatus.of(record, liveReplicas, reports.getOrDefault(record.name(), Map.of()));
        }
    }

    private ServiceRecord storedRecord(String name) {
        return store.findService(name)
                .orElseThrow(() -> ScoriaException.notFound("service '" + name + "' does not exist"));
    }

    /** The models a request names (none when it names none: whether that is enough is the runtime's to say). */
    private static List<ModelRef> refsOf(List<ModelRef> refs) {
        if (refs == null) {
            return List.of();
        }
        Set<ModelRef> seen = new HashSet<>();
        for (ModelRef ref : refs) {
            if (!seen.add(ref)) {
                throw ScoriaException.badInput("models lists " + ref + " twice: expected each model version once");
            }
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
        } catch (JsonProcessingException e) {
            throw ScoriaException.badInput(field + " is not valid JSON: " + JsonErrors.describe(e));
        }
    }

    /** The inference settings, checked by their runtime with the (registered) models, their code package uploaded. */
    private InferenceSpec requireRunnable(InferenceSpec inference, List<ModelRef> refs) {
        List<ModelRecord> records = refs.stream().map(models::get).toList();
        runtimes.require(inference.runtime()).validate(inference, records);
        if (inference.code() != null && !artifacts.contains(inference.code().sha256())) {
            throw ScoriaException.badInput("code package " + inference.code().sha256()
                    + " was not uploaded: upload it first (POST /api/v1/code)");
        }
        return inference;
    }

    private static SchemaSpec requireSchema(SchemaSpec schema) {
        if (schema.inputExample() != null) {
            SampleSchemas.requireFiniteNumbers(requireJson("inputExample", schema.inputExample()), "inputExample");
        }
        if (schema.outputExample() != null) {
            SampleSchemas.requireFiniteNumbers(requireJson("outputExample", schema.outputExample()), "outputExample");
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
        return schema;
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
