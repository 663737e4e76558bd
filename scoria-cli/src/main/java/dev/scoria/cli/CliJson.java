package dev.scoria.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.client.Deployment;
import dev.scoria.client.DeploymentField;
import dev.scoria.client.Model;
import dev.scoria.client.ModelReference;
import dev.scoria.client.ServiceSetting;
import dev.scoria.client.Webservice;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** What {@code -o json} prints: the same field names as the management API. */
final class CliJson {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CliJson() {}

    static ObjectNode service(Webservice s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", s.name());
        n.put("state", s.state().name());
        s.error()
                .ifPresentOrElse(
                        e -> n.putObject("error").put("code", e.code()).put("message", e.message()),
                        () -> n.putNull("error"));
        n.put("scoringUri", s.scoringUri().toString());
        n.put("swaggerUri", s.swaggerUri().toString());
        n.put(ServiceSetting.AUTH_MODE.wireName(), s.authMode().wireName());
        ArrayNode cors = n.putArray(ServiceSetting.CORS_ORIGINS.wireName());
        s.corsOrigins().forEach(cors::add);
        n.put(ServiceSetting.RUNTIME.wireName(), s.runtime());
        ArrayNode models = n.putArray("models");
        for (ModelReference m : s.models()) {
            models.add(m.id());
        }
        n.put(ServiceSetting.DESCRIPTION.wireName(), s.description());
        map(n, ServiceSetting.TAGS.wireName(), s.tags());
        map(n, ServiceSetting.PROPERTIES.wireName(), s.properties());
        n.put(ServiceSetting.SCORING_TIMEOUT_MS.wireName(), s.scoringTimeoutMs());
        n.put(ServiceSetting.MAX_CONCURRENT_REQUESTS_PER_CONTAINER.wireName(), s.maxConcurrentRequestsPerContainer());
        n.put(ServiceSetting.MAX_QUEUE_WAIT_MS.wireName(), s.maxQueueWaitMs());
        n.put("createdTime", String.valueOf(s.createdTime()));
        n.put("updatedTime", String.valueOf(s.updatedTime()));
        traffic(n, s);
        return n;
    }

    /** Adds the service's live split and mirror, under the management API's names. */
    static ObjectNode traffic(ObjectNode n, Webservice s) {
        ObjectNode traffic = n.putObject(ServiceSetting.TRAFFIC.wireName());
        s.traffic().forEach(traffic::put);
        ObjectNode mirror = n.putObject(ServiceSetting.MIRROR_TRAFFIC.wireName());
        s.mirrorTraffic().forEach(mirror::put);
        return n;
    }

    /** A service with its deployments, as {@code service show -o json} prints it. */
    static ObjectNode service(Webservice s, List<Deployment> deployments) {
        ObjectNode n = service(s);
        ArrayNode array = n.putArray("deployments");
        deployments.forEach(d -> array.add(deployment(d)));
        return n;
    }

    static ObjectNode deployment(Deployment d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put(DeploymentField.NAME.wireName(), d.name());
        n.put(DeploymentField.SERVICE_NAME.wireName(), d.serviceName());
        n.put(DeploymentField.STATE.wireName(), d.state().name());
        d.error()
                .ifPresentOrElse(
                        e -> n.putObject(DeploymentField.ERROR.wireName())
                                .put("code", e.code())
                                .put("message", e.message()),
                        () -> n.putNull(DeploymentField.ERROR.wireName()));
        n.put(DeploymentField.TRAFFIC_PERCENT.wireName(), d.trafficPercent());
        n.put(DeploymentField.MIRROR_TRAFFIC_PERCENT.wireName(), d.mirrorTrafficPercent());
        n.put(DeploymentField.PRIMARY.wireName(), d.primary());
        ArrayNode models = n.putArray(DeploymentField.MODELS.wireName());
        d.models().forEach(m -> models.add(m.id()));
        n.put(ServiceSetting.RUNTIME.wireName(), d.runtime());
        d.entry().ifPresent(entry -> n.put(ServiceSetting.ENTRY.wireName(), entry));
        map(n, ServiceSetting.CONFIG.wireName(), d.config());
        n.put(ServiceSetting.SCORING_TIMEOUT_MS.wireName(), d.scoringTimeoutMs());
        n.put(ServiceSetting.MAX_CONCURRENT_REQUESTS_PER_CONTAINER.wireName(), d.maxConcurrentRequestsPerContainer());
        n.put(ServiceSetting.MAX_QUEUE_WAIT_MS.wireName(), d.maxQueueWaitMs());
        n.put(ServiceSetting.MAX_BATCH_SIZE.wireName(), d.maxBatchSize());
        n.put(ServiceSetting.MAX_BATCH_DELAY_MICROS.wireName(), d.maxBatchDelayMicros());
        n.put(DeploymentField.GENERATION.wireName(), d.generation());
        n.put(DeploymentField.CREATED_TIME.wireName(), String.valueOf(d.createdTime()));
        return n;
    }

    static ObjectNode model(Model m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", m.id());
        n.put("name", m.name());
        n.put("version", m.version());
        n.put("framework", m.framework());
        n.put("frameworkVersion", m.frameworkVersion());
        n.put("description", m.description());
        map(n, "kvTags", m.tags());
        map(n, "properties", m.properties());
        n.put("sha256", m.sha256());
        n.put("size", m.size());
        ArrayNode files = n.putArray("files");
        m.files()
                .forEach(f -> files.addObject()
                        .put("path", f.path())
                        .put("sha256", f.sha256())
                        .put("size", f.size()));
        n.put("createdTime", String.valueOf(m.createdTime()));
        return n;
    }

    static void print(PrintWriter out, Object node) {
        try {
            out.println(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    private static void map(ObjectNode n, String field, Map<String, String> map) {
        ObjectNode o = n.putObject(field);
        map.forEach(o::put);
    }
}
