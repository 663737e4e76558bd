package dev.scoria.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.auth.AccessToken;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.replica.ReplicaRecord;
import dev.scoria.core.replica.ReplicaReport;
import dev.scoria.core.service.DeploymentSpec;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceStatus;
import dev.scoria.core.service.ServiceView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The management API's JSON for models, services, operations and keys, with Azure ML's field names. */
final class Representations {

    private Representations() {}

    static ObjectNode model(ModelRecord m) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", m.ref().toString());
        n.put("name", m.name());
        n.put("version", m.version());
        n.put("framework", m.framework());
        n.put("frameworkVersion", m.frameworkVersion());
        n.put("description", m.description());
        putMap(n, "kvTags", m.tags());
        putMap(n, "properties", m.properties());
        n.put("sha256", m.sha256());
        n.put("size", m.size());
        ArrayNode files = n.putArray("files");
        for (ModelFile f : m.files()) {
            files.addObject().put("path", f.path()).put("sha256", f.sha256()).put("size", f.size());
        }
        n.put("createdTime", m.createdTime().toString());
        return n;
    }

    /** A service with the state its live replicas report, and each replica's own report. */
    static ObjectNode service(ServiceView view, String baseUrl) {
        ObjectNode n = service(view.record(), baseUrl);
        ArrayNode deployments = n.putArray("deployments");
        for (DeploymentSpec d : view.record().deployments()) {
            deployments.add(deployment(view.record(), d, view.deploymentStatus(d.name())));
        }
        n.put("generation", view.record().generation());
        // Azure's field, truthful here: the replicas this service's state is made from.
        n.put("numReplicas", view.replicas().size());
        ArrayNode replicas = n.putArray("replicas");
        replicaRows(replicas, view.replicas());
        return n;
    }

    /** What each live replica reports: its state, the generation it serves, and why it failed if it did. */
    private static void replicaRows(ArrayNode rows, List<ReplicaReport> reports) {
        for (ReplicaReport r : reports) {
            ObjectNode row = rows.addObject()
                    .put("replicaId", r.replicaId())
                    .put("state", r.state().name())
                    .put("generation", r.generation());
            if (r.error() != null) {
                row.put("error", r.error());
            }
        }
    }

    static ObjectNode replicas(List<ReplicaRecord> replicas, Instant now) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (ReplicaRecord r : replicas) {
            rows.addObject()
                    .put("id", r.id())
                    .put("address", r.address())
                    .put("version", r.version())
                    .put("startedTime", r.startedAt().toString())
                    .put("lastHeartbeat", r.heartbeatAt().toString())
                    .put("live", r.liveAt(now));
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("value", rows);
        return n;
    }

    static ObjectNode service(ServiceRecord s, String baseUrl) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", s.name());
        SettingField.write(s.settings(), n);
        n.put("state", s.state().name());
        if (s.error() == null) {
            n.putNull("error");
        } else {
            n.putObject("error").put("code", "DeploymentFailed").put("message", s.error());
        }
        n.put("createdTime", s.createdTime().toString());
        n.put("updatedTime", s.updatedTime().toString());
        n.put("computeType", "Scoria");
        ArrayNode models = n.putArray("models");
        for (ModelRef ref : s.models()) {
            models.addObject().put("id", ref.toString()).put("name", ref.name()).put("version", ref.version());
        }
        ObjectNode traffic = n.putObject("traffic");
        s.traffic().live().forEach(traffic::put);
        ObjectNode mirror = n.putObject("mirrorTraffic");
        if (s.traffic().mirror() != null) {
            mirror.put(s.traffic().mirror(), s.traffic().mirrorPercent());
        }
        String prefix = baseUrl + "/api/v1/service/" + s.name();
        n.put("scoringUri", prefix + "/score");
        n.put("swaggerUri", prefix + "/swagger.json");
        n.put("numReplicas", 1);
        n.put("appInsightsEnabled", false);
        return n;
    }

    /** One deployment of a service: what it loads, its limits, its share of the traffic and its state. */
    static ObjectNode deployment(ServiceRecord s, DeploymentSpec d, ServiceStatus.DeploymentStatus status) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", d.name());
        n.put("serviceName", s.name());
        n.put("state", status.state().name());
        if (status.error() == null) {
            n.putNull("error");
        } else {
            n.putObject("error").put("code", "DeploymentFailed").put("message", status.error());
        }
        n.put("trafficPercent", s.traffic().percentOf(d.name()));
        n.put(
                "mirrorTrafficPercent",
                d.name().equals(s.traffic().mirror()) ? s.traffic().mirrorPercent() : 0);
        n.put("primary", d.name().equals(s.primary().name()));
        ArrayNode models = n.putArray("models");
        for (ModelRef ref : d.models()) {
            models.addObject().put("id", ref.toString()).put("name", ref.name()).put("version", ref.version());
        }
        SettingField.writeDeployment(d.inference(), d.limits(), n);
        n.put("generation", d.generation());
        n.put("createdTime", d.createdTime().toString());
        ArrayNode replicas = n.putArray("replicas");
        replicaRows(replicas, status.replicas());
        return n;
    }

    static ObjectNode operation(Operation o) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", o.id());
        n.put("serviceName", o.serviceName());
        if (o.deployment() != null) {
            n.put("deploymentName", o.deployment());
        }
        n.put("operationType", o.type());
        n.put("state", o.state().name());
        if (o.error() != null) {
            n.putObject("error").put("message", o.error());
        }
        n.put("createdTime", o.createdTime().toString());
        n.put("updatedTime", o.updatedTime().toString());
        return n;
    }

    static ObjectNode keys(ServiceKeys k) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("primaryKey", k.primary());
        n.put("secondaryKey", k.secondary());
        return n;
    }

    static ObjectNode token(AccessToken t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("accessToken", t.accessToken());
        n.put("tokenType", "Bearer");
        n.put("refreshAfter", t.refreshAfter());
        n.put("expiryOn", t.expiryOn());
        return n;
    }

    static ObjectNode list(Iterable<ObjectNode> items) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ArrayNode value = n.putArray("value");
        items.forEach(value::add);
        return n;
    }

    private static void putMap(ObjectNode n, String field, Map<String, String> map) {
        ObjectNode o = n.putObject(field);
        map.forEach(o::put);
    }
}
