package dev.scoria.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.InferencePatch;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.service.ServiceSettings;
import dev.scoria.core.service.SettingsPatch;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A service's settings on the management API. Each field's wire name is declared here and nowhere else in
 * the server: this enum reads settings from a deploy ({@code POST /api/v1/services}) or {@code PATCH} body
 * and writes them into the service JSON, with Azure ML's names where Azure has the setting.
 */
enum SettingField {
    DESCRIPTION("description", Change.ANY_TIME),
    TAGS("kvTags", Change.ANY_TIME),
    PROPERTIES("properties", Change.ANY_TIME),
    RUNTIME("runtime", Change.ANY_TIME),
    ENTRY("entry", Change.ANY_TIME),
    /** An uploaded code package: {@code {"sha256", "fileName", "size"}}, as {@code POST /api/v1/code} answers. */
    CODE("code", Change.ANY_TIME),
    /** The runtime's settings, handed to the scorer. */
    CONFIG("config", Change.ANY_TIME),
    /** {@code key}, {@code token} or {@code none}; Azure's booleans below are read as well. */
    AUTH_MODE("authMode", Change.ANY_TIME),
    AUTH_ENABLED("authEnabled", Change.ANY_TIME),
    TOKEN_AUTH_ENABLED("tokenAuthEnabled", Change.ANY_TIME),
    /** Azure's name for token auth in its answers; written, never read. */
    AAD_AUTH_ENABLED("aadAuthEnabled", Change.NEVER),
    SCORING_TIMEOUT_MS("scoringTimeoutMs", Change.ANY_TIME),
    MAX_CONCURRENT_REQUESTS_PER_CONTAINER("maxConcurrentRequestsPerContainer", Change.ANY_TIME),
    MAX_QUEUE_WAIT_MS("maxQueueWaitMs", Change.ANY_TIME),
    MAX_BATCH_SIZE("maxBatchSize", Change.ANY_TIME),
    MAX_BATCH_DELAY_MICROS("maxBatchDelayMicros", Change.ANY_TIME),
    CORS_ORIGINS("corsOrigins", Change.ANY_TIME);

    /** When a caller may set a field. */
    enum Change {
        /** At deploy and with {@code PATCH}. */
        ANY_TIME,
        /** At deploy only. */
        AT_DEPLOY,
        /** Never: the service JSON reports it. */
        NEVER
    }

    private static final String CODE_SHA256 = "sha256";
    private static final String CODE_FILE_NAME = "fileName";
    private static final String CODE_SIZE = "size";
    private static final String DEFAULT_CODE_FILE_NAME = "scorer.jar";

    private final String wireName;
    private final Change change;

    SettingField(String wireName, Change change) {
        this.wireName = wireName;
        this.change = change;
    }

    String wireName() {
        return wireName;
    }

    /** The fields that belong to one deployment of a service: what it loads, and its limits and batching. */
    private static final Set<SettingField> OF_A_DEPLOYMENT = EnumSet.of(
            RUNTIME,
            ENTRY,
            CODE,
            CONFIG,
            SCORING_TIMEOUT_MS,
            MAX_CONCURRENT_REQUESTS_PER_CONTAINER,
            MAX_QUEUE_WAIT_MS,
            MAX_BATCH_SIZE,
            MAX_BATCH_DELAY_MICROS);

    /** The wire names of a deployment's fields a caller may set {@code when}, in declaration order. */
    static Set<String> deploymentWireNames(Change when) {
        Set<String> names = new LinkedHashSet<>();
        for (SettingField field : OF_A_DEPLOYMENT) {
            if (field.change == when) {
                names.add(field.wireName);
            }
        }
        return names;
    }

    /** Writes a deployment's own settings (what it loads, its limits) into its JSON. */
    static void writeDeployment(InferenceSpec inference, ServiceLimits limits, ObjectNode n) {
        ObjectNode all = Json.MAPPER.createObjectNode();
        write(ServiceSettings.DEFAULTS.withInference(inference).withLimits(limits), all);
        for (SettingField field : OF_A_DEPLOYMENT) {
            if (all.has(field.wireName)) {
                n.set(field.wireName, all.get(field.wireName));
            }
        }
    }

    /** The wire names of the fields a caller may set {@code when}, in declaration order. */
    static Set<String> wireNames(Change when) {
        Set<String> names = new LinkedHashSet<>();
        for (SettingField field : values()) {
            if (field.change == when) {
                names.add(field.wireName);
            }
        }
        return names;
    }

    /** A deploy body's settings: those it gives, the defaults for the rest. */
    static ServiceSettings readDeploy(JsonFields f) {
        String runtime = f.string(RUNTIME.wireName);
        InferenceSpec inference = new InferenceSpec(
                runtime == null ? ServiceSettings.DEFAULTS.inference().runtime() : runtime,
                code(f),
                f.string(ENTRY.wireName),
                f.stringMap(CONFIG.wireName));
        return readPatch(f).applyTo(ServiceSettings.DEFAULTS.withInference(inference));
    }

    /** What a {@code PATCH} body changes in what a deployment runs (runtime, code, entry, config), each null when absent. */
    static InferencePatch readInferencePatch(JsonFields f) {
        return new InferencePatch(
                f.string(RUNTIME.wireName), code(f), f.string(ENTRY.wireName), f.stringMap(CONFIG.wireName));
    }

    /** The settings a body gives (a {@code PATCH} body's change), each null when absent. */
    static SettingsPatch readPatch(JsonFields f) {
        return SettingsPatch.builder()
                .description(f.string(DESCRIPTION.wireName))
                .tags(f.stringMap(TAGS.wireName))
                .properties(f.stringMap(PROPERTIES.wireName))
                .authMode(authMode(f))
                .scoringTimeoutMs(f.integer(SCORING_TIMEOUT_MS.wireName))
                .maxConcurrentRequestsPerContainer(f.integer(MAX_CONCURRENT_REQUESTS_PER_CONTAINER.wireName))
                .maxQueueWaitMs(f.integer(MAX_QUEUE_WAIT_MS.wireName))
                .maxBatchSize(f.integer(MAX_BATCH_SIZE.wireName))
                .maxBatchDelayMicros(f.integer(MAX_BATCH_DELAY_MICROS.wireName))
                .corsOrigins(f.stringList(CORS_ORIGINS.wireName))
                .build();
    }

    /** Writes every setting into a service's JSON. */
    static void write(ServiceSettings s, ObjectNode n) {
        n.put(DESCRIPTION.wireName, s.description());
        putMap(n, TAGS.wireName, s.tags());
        putMap(n, PROPERTIES.wireName, s.properties());
        InferenceSpec inference = s.inference();
        n.put(RUNTIME.wireName, inference.runtime());
        if (inference.entry() != null) {
            n.put(ENTRY.wireName, inference.entry());
        }
        if (inference.code() != null) {
            n.putObject(CODE.wireName)
                    .put(CODE_FILE_NAME, inference.code().path())
                    .put(CODE_SHA256, inference.code().sha256())
                    .put(CODE_SIZE, inference.code().size());
        }
        putMap(n, CONFIG.wireName, inference.config());
        n.put(AUTH_MODE.wireName, s.authMode().wireName());
        n.put(AUTH_ENABLED.wireName, s.authMode() == AuthMode.KEY);
        n.put(TOKEN_AUTH_ENABLED.wireName, s.authMode() == AuthMode.TOKEN);
        n.put(AAD_AUTH_ENABLED.wireName, s.authMode() == AuthMode.TOKEN);
        ServiceLimits limits = s.limits();
        n.put(SCORING_TIMEOUT_MS.wireName, limits.scoringTimeoutMs());
        n.put(MAX_CONCURRENT_REQUESTS_PER_CONTAINER.wireName, limits.maxConcurrentRequestsPerContainer());
        n.put(MAX_QUEUE_WAIT_MS.wireName, limits.maxQueueWaitMs());
        n.put(MAX_BATCH_SIZE.wireName, limits.maxBatchSize());
        n.put(MAX_BATCH_DELAY_MICROS.wireName, limits.maxBatchDelayMicros());
        ArrayNode cors = n.putArray(CORS_ORIGINS.wireName);
        s.corsOrigins().forEach(cors::add);
    }

    /** {@code authMode}, or Azure's booleans {@code authEnabled} / {@code tokenAuthEnabled}; null when none is given. */
    private static AuthMode authMode(JsonFields f) {
        String mode = f.string(AUTH_MODE.wireName);
        Boolean key = f.bool(AUTH_ENABLED.wireName);
        Boolean token = f.bool(TOKEN_AUTH_ENABLED.wireName);
        if (Boolean.TRUE.equals(key) && Boolean.TRUE.equals(token)) {
            throw ScoriaException.badInput(AUTH_ENABLED.wireName + " and " + TOKEN_AUTH_ENABLED.wireName
                    + " cannot both be true: a service uses key or token auth, not both");
        }
        if (mode != null) {
            AuthMode parsed = AuthMode.parse(mode);
            if (key != null && key != (parsed == AuthMode.KEY)
                    || token != null && token != (parsed == AuthMode.TOKEN)) {
                throw ScoriaException.badInput(AUTH_MODE.wireName + " '" + mode + "' contradicts "
                        + AUTH_ENABLED.wireName + "/" + TOKEN_AUTH_ENABLED.wireName);
            }
            return parsed;
        }
        if (Boolean.TRUE.equals(token)) {
            return AuthMode.TOKEN;
        }
        if (Boolean.FALSE.equals(key)) {
            return AuthMode.NONE;
        }
        return key == null && token == null ? null : AuthMode.KEY;
    }

    private static ModelFile code(JsonFields f) {
        Map<String, String> code = f.stringMap(CODE.wireName);
        if (code == null) {
            return null;
        }
        String field = CODE.wireName + ".";
        String sha = code.get(CODE_SHA256);
        if (sha == null || !sha.matches("[0-9a-f]{64}")) {
            throw ScoriaException.badInput(
                    "field '" + field + CODE_SHA256 + "' must be the sha256 (64 hex digits) of an"
                            + " uploaded code package, saw " + (sha == null ? "nothing" : "'" + sha + "'"));
        }
        String size = code.getOrDefault(CODE_SIZE, "0");
        try {
            return new ModelFile(code.getOrDefault(CODE_FILE_NAME, DEFAULT_CODE_FILE_NAME), sha, Long.parseLong(size));
        } catch (NumberFormatException e) {
            throw ScoriaException.badInput(
                    "field '" + field + CODE_SIZE + "' must be a whole number, saw '" + size + "'");
        }
    }

    private static void putMap(ObjectNode n, String field, Map<String, String> map) {
        ObjectNode o = n.putObject(field);
        map.forEach(o::put);
    }
}
