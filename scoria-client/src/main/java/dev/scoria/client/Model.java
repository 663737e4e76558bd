package dev.scoria.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A registered model: an immutable, versioned file or folder, {@code name:version}, like Azure ML's
 * {@code Model}. Obtain one with {@link #register}, {@link #get} or {@link #list}; deploy models with
 * {@link #deploy}.
 *
 * <p>Instances are immutable snapshots of what the server reported.
 */
public final class Model {

    private final Workspace workspace;
    private final String name;
    private final int version;
    private final String framework;
    private final String frameworkVersion;
    private final String description;
    private final Map<String, String> tags;
    private final Map<String, String> properties;
    private final String sha256;
    private final long size;
    private final List<ModelFile> files;
    private final Instant createdTime;

    private Model(Workspace workspace, JsonNode json) {
        this.workspace = workspace;
        this.name = Json.required(json, "name").asText();
        this.version = Json.required(json, "version").asInt();
        this.framework = Json.text(json, "framework");
        this.frameworkVersion = Json.text(json, "frameworkVersion");
        this.description = Objects.requireNonNullElse(Json.text(json, "description"), "");
        this.tags = Json.stringMap(json, "kvTags");
        this.properties = Json.stringMap(json, "properties");
        this.sha256 = Json.text(json, "sha256");
        this.size = json.path("size").asLong();
        List<ModelFile> fileList = new ArrayList<>();
        for (JsonNode f : json.path("files")) {
            fileList.add(new ModelFile(
                    Json.text(f, "path"), Json.text(f, "sha256"), f.path("size").asLong()));
        }
        this.files = List.copyOf(fileList);
        this.createdTime = Json.instant(json, "createdTime");
    }

    static Model fromJson(Workspace workspace, JsonNode json) {
        return new Model(workspace, json);
    }

    /** Registers the file or folder at {@code modelPath} as the next version of model {@code name}. */
    public static Model register(Workspace workspace, Path modelPath, String name) {
        return register(workspace, modelPath, name, RegisterOptions.builder().build());
    }

    /**
     * Registers the file or folder at {@code modelPath} as the next version of model {@code name}
     * (versions count up from 1 per name). A folder uploads every regular file under it, named by its path
     * relative to the folder.
     *
     * @throws IllegalArgumentException if the path does not exist or is an empty folder
     * @throws WebserviceException if the server refuses (e.g. {@code 400} for an invalid name)
     */
    public static Model register(Workspace workspace, Path modelPath, String name, RegisterOptions options) {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        MultipartBody body = registration(name, options, ModelFiles.of(modelPath));
        String what = "registering model '" + name + "'";
        // No timeout: an upload of a large model takes as long as the network needs.
        Transport.Response response = Transport.requireOk(
                workspace
                        .transport()
                        .management("POST", "/api/v1/models", body.publisher(), body.contentType(), null, what),
                what);
        return new Model(workspace, Json.parse(response.body(), what));
    }

    static MultipartBody registration(String name, RegisterOptions options, List<ModelFiles.Entry> files) {
        MultipartBody.Builder body = MultipartBody.builder().field("name", name);
        if (options.description() != null) {
            body.field("description", options.description());
        }
        if (options.framework() != null) {
            body.field("framework", options.framework());
        }
        if (options.frameworkVersion() != null) {
            body.field("frameworkVersion", options.frameworkVersion());
        }
        if (!options.tags().isEmpty()) {
            body.field("tags", Json.write(Json.objectOf(options.tags())));
        }
        if (!options.properties().isEmpty()) {
            body.field("properties", Json.write(Json.objectOf(options.properties())));
        }
        for (ModelFiles.Entry file : files) {
            body.file("file", file.modelPath(), file.file());
        }
        return body.build();
    }

    /** The model {@code name:version}. */
    public static Model get(Workspace workspace, String name, int version) {
        String what = "getting model " + name + ":" + version;
        Transport.Response response = Transport.requireOk(
                workspace.transport().get("/api/v1/models/" + Transport.segment(name) + "/" + version, what), what);
        return new Model(workspace, Json.parse(response.body(), what));
    }

    /** Every version of every registered model. */
    public static List<Model> list(Workspace workspace) {
        return list(workspace, null);
    }

    /** Every version of the models called {@code name} (all models if null). */
    public static List<Model> list(Workspace workspace, String name) {
        String what = "listing models";
        Transport.Response response = Transport.requireOk(
                workspace.transport().get("/api/v1/models" + new QueryString().add("name", name), what), what);
        List<Model> models = new ArrayList<>();
        for (JsonNode item : Json.required(Json.parse(response.body(), what), "value")) {
            models.add(new Model(workspace, item));
        }
        return List.copyOf(models);
    }

    /**
     * Deploys {@code models} as the web service {@code serviceName} and returns at once, while the service
     * is still {@link WebserviceState#Transitioning}; call {@link Webservice#waitForDeployment(boolean)}.
     * {@code models} may be empty for code that needs no model (the {@code python} runtime's entry script);
     * a runtime that needs one refuses with {@code 400}.
     *
     * @param inferenceConfig the runtime; null for {@link InferenceConfig#defaults()}
     * @param deploymentConfig auth, limits and metadata; null for {@link DeploymentConfig#defaults()}
     * @throws WebserviceException if the server refuses ({@code 400} bad input, {@code 409} name taken)
     */
    public static Webservice deploy(
            Workspace workspace,
            String serviceName,
            List<Model> models,
            InferenceConfig inferenceConfig,
            DeploymentConfig deploymentConfig) {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(models, "models");
        InferenceConfig inference = inferenceConfig == null ? InferenceConfig.defaults() : inferenceConfig;
        ObjectNode request = deployRequest(
                serviceName,
                models,
                inference,
                deploymentConfig == null ? DeploymentConfig.defaults() : deploymentConfig);
        String what = "deploying service '" + serviceName + "'";
        if (inference.code() != null) {
            request.set(ServiceSetting.CODE.wireName(), uploadCode(workspace, inference.code()));
        }
        String json = Json.write(request);
        Transport.Response response =
                Transport.requireOk(workspace.transport().sendJson("POST", "/api/v1/services", json, what), what);
        return Webservice.deployed(
                workspace,
                Json.parse(response.body(), what),
                response.header("Operation-Location").orElse(null));
    }

    /** Uploads a code package; the server keeps it by its sha256, so uploading the same JAR again costs nothing more. */
    static ObjectNode uploadCode(Workspace workspace, Path jar) {
        MultipartBody body = MultipartBody.builder()
                .file("file", jar.getFileName().toString(), jar)
                .build();
        String what = "uploading code " + jar;
        Transport.Response response = Transport.requireOk(
                workspace
                        .transport()
                        .management("POST", "/api/v1/code", body.publisher(), body.contentType(), null, what),
                what);
        var uploaded = Json.parse(response.body(), what);
        ObjectNode code = Json.object();
        code.put("sha256", Json.required(uploaded, "sha256").asText());
        code.put("fileName", Json.required(uploaded, "fileName").asText());
        code.put("size", uploaded.path("size").asText());
        return code;
    }

    static ObjectNode deployRequest(
            String serviceName, List<Model> models, InferenceConfig inference, DeploymentConfig deployment) {
        ObjectNode request = Json.object();
        request.put("name", serviceName);
        ArrayNode ids = request.putArray("models");
        models.forEach(m -> ids.add(m.id()));
        request.put(ServiceSetting.RUNTIME.wireName(), inference.runtime());
        if (inference.entry() != null) {
            request.put(ServiceSetting.ENTRY.wireName(), inference.entry());
        }
        if (!inference.config().isEmpty()) {
            request.set(ServiceSetting.CONFIG.wireName(), Json.objectOf(inference.config()));
        }
        if (inference.inputExample() != null) {
            request.set("inputExample", Json.parse(inference.inputExample(), "the input example"));
        }
        if (inference.outputExample() != null) {
            request.set("outputExample", Json.parse(inference.outputExample(), "the output example"));
        }
        if (inference.swagger() != null) {
            request.set("swagger", Json.parse(inference.swagger(), "the swagger document"));
        }
        deployment.writeTo(request);
        return request;
    }

    /**
     * Deletes this version from the registry.
     *
     * @throws WebserviceException with status {@code 409} while a service uses it
     */
    public void delete() {
        String what = "deleting model " + id();
        Transport.requireOk(
                workspace
                        .transport()
                        .management(
                                "DELETE",
                                "/api/v1/models/" + Transport.segment(name) + "/" + version,
                                null,
                                null,
                                Transport.CALL_TIMEOUT,
                                what),
                what);
    }

    /** {@code name:version}, how services refer to this model. */
    public String id() {
        return name + ":" + version;
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    /**
     * What the model is, in Azure's spelling, e.g. {@code Onnx} or {@code ScikitLearn}; given at registration
     * or guessed by the server from the files.
     */
    public String framework() {
        return framework;
    }

    /** The framework's version given at registration (e.g. {@code 1.2}), or null. */
    public String frameworkVersion() {
        return frameworkVersion;
    }

    public String description() {
        return description;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public Map<String, String> properties() {
        return properties;
    }

    /** The SHA-256 of the model as a whole (over its files), lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** The total size of the model's files, in bytes. */
    public long size() {
        return size;
    }

    public List<ModelFile> files() {
        return files;
    }

    public Instant createdTime() {
        return createdTime;
    }

    public Workspace workspace() {
        return workspace;
    }

    /** Same id on the same server. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Model other
                && other.workspace.url().equals(workspace.url())
                && other.id().equals(id());
    }

    @Override
    public int hashCode() {
        return Objects.hash(workspace.url(), id());
    }

    @Override
    public String toString() {
        return "Model[" + id() + ", sha256=" + sha256 + "]";
    }

    /**
     * The optional parts of a registration: description, tags, properties, framework (which the server
     * otherwise guesses from the files) and its version. Immutable; built with {@link #builder()}.
     */
    public record RegisterOptions(
            String description,
            Map<String, String> tags,
            Map<String, String> properties,
            String framework,
            String frameworkVersion) {

        public RegisterOptions {
            tags = tags == null ? Map.of() : Json.orderedCopy(tags);
            properties = properties == null ? Map.of() : Json.orderedCopy(properties);
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link RegisterOptions}. */
        public static final class Builder {
            private String description;
            private final Map<String, String> tags = new LinkedHashMap<>();
            private final Map<String, String> properties = new LinkedHashMap<>();
            private String framework;
            private String frameworkVersion;

            private Builder() {}

            public Builder description(String description) {
                this.description = description;
                return this;
            }

            public Builder tags(Map<String, String> tags) {
                this.tags.clear();
                this.tags.putAll(tags);
                return this;
            }

            public Builder tag(String key, String value) {
                tags.put(key, value);
                return this;
            }

            public Builder properties(Map<String, String> properties) {
                this.properties.clear();
                this.properties.putAll(properties);
                return this;
            }

            public Builder property(String key, String value) {
                properties.put(key, value);
                return this;
            }

            /**
             * E.g. {@code Onnx}, or {@code ScikitLearn} (also {@code scikit-learn}, {@code sklearn}) for a model
             * the {@code python} runtime serves with no code; leave unset to let the server tell from the files.
             */
            public Builder framework(String framework) {
                this.framework = framework;
                return this;
            }

            /** The framework's version the model was made with, e.g. {@code 1.2} (Azure's {@code model_framework_version}). */
            public Builder frameworkVersion(String frameworkVersion) {
                this.frameworkVersion = frameworkVersion;
                return this;
            }

            public RegisterOptions build() {
                return new RegisterOptions(description, tags, properties, framework, frameworkVersion);
            }
        }
    }
}
