package dev.scoria.cli;

import dev.scoria.client.AuthMode;
import dev.scoria.client.DeploymentConfig;
import dev.scoria.client.InferenceConfig;
import dev.scoria.client.KeyType;
import dev.scoria.client.Keys;
import dev.scoria.client.Model;
import dev.scoria.client.ModelReference;
import dev.scoria.client.ServiceSetting;
import dev.scoria.client.Webservice;
import dev.scoria.client.WebserviceState;
import dev.scoria.client.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scoria service deploy|list|show|update|delete|keys|regen-key|logs}. */
@Command(
        name = "service",
        description = "Deploy and manage services.",
        mixinStandardHelpOptions = true,
        subcommands = {
            ServiceCommand.Deploy.class,
            ServiceCommand.ListServices.class,
            ServiceCommand.Show.class,
            ServiceCommand.Update.class,
            ServiceCommand.Delete.class,
            ServiceCommand.ShowKeys.class,
            ServiceCommand.RegenKey.class,
            ServiceCommand.GetAccessToken.class,
            ServiceCommand.Logs.class
        })
final class ServiceCommand {

    enum Auth {
        key,
        token,
        none
    }

    /** The options shared by deploy and update. */
    static final class Settings {
        @Option(names = "--description")
        String description;

        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Tag (repeatable).")
        List<String> tags;

        @Option(names = "--property", paramLabel = "KEY=VALUE", description = "Property (repeatable).")
        List<String> properties;

        @Option(names = "--auth", description = "key (default), token or none.")
        Auth auth;

        @Option(names = "--scoring-timeout-ms", description = "Longest a request may score (default 60000).")
        Integer scoringTimeoutMs;

        @Option(names = "--max-concurrent-requests", description = "Requests scored at once (default 1).")
        Integer maxConcurrent;

        @Option(names = "--max-queue-wait-ms", description = "Longest a request may wait to start (default 500).")
        Integer maxQueueWaitMs;

        @Option(
                names = "--max-batch-size",
                description = "Most waiting requests merged into one model call (default 32; 1: off).")
        Integer maxBatchSize;

        @Option(
                names = "--max-batch-delay-us",
                description = "How long a batch may wait for more requests (default 0).")
        Integer maxBatchDelayMicros;

        @Option(
                names = "--cors-origin",
                paramLabel = "ORIGIN",
                description =
                        "Origin whose browser pages may call the service, e.g. https://app.example.com, or * (repeatable).")
        List<String> corsOrigins;

        /** The settings given on the command line; those not given are null (the server's default, or unchanged). */
        DeploymentConfig config() {
            return DeploymentConfig.builder()
                    .description(description)
                    .tags(KeyValues.parse("--tag", tags))
                    .properties(KeyValues.parse("--property", properties))
                    .authMode(auth == null ? null : AuthMode.valueOf(auth.name().toUpperCase(Locale.ROOT)))
                    .scoringTimeoutMs(scoringTimeoutMs)
                    .maxConcurrentRequestsPerContainer(maxConcurrent)
                    .maxQueueWaitMs(maxQueueWaitMs)
                    .maxBatchSize(maxBatchSize)
                    .maxBatchDelayMicros(maxBatchDelayMicros)
                    .corsOrigins(corsOrigins)
                    .build();
        }
    }

    /** Waits for a deployment, printing progress, and fails the command if it ends Failed. */
    static void await(CommandSpec spec, Webservice service, boolean quiet) {
        WebserviceState state = service.waitForDeployment(!quiet);
        if (state != WebserviceState.Healthy) {
            throw new CliErrors.CliFailure(
                    "service '" + service.name() + "' is " + state
                            + service.error().map(e -> ": " + e.message()).orElse(""),
                    CliErrors.FAILED);
        }
    }

    static void describe(PrintWriter out, Webservice s) {
        out.println("Service:      " + s.name());
        out.println("State:        " + s.state()
                + s.error().map(e -> " (" + e.message() + ")").orElse(""));
        out.println("Scoring URI:  " + s.scoringUri());
        out.println("Swagger URI:  " + s.swaggerUri());
        out.println("Auth:         " + s.authMode().wireName());
        out.println("CORS origins: " + (s.corsOrigins().isEmpty() ? "(none)" : String.join(", ", s.corsOrigins())));
        out.println("Runtime:      " + s.runtime());
        out.println("Models:       "
                + String.join(", ", s.models().stream().map(ModelReference::id).toList()));
        out.println("Description:  " + s.description());
        out.println("Tags:         " + s.tags());
        out.println("Limits:       " + setting(ServiceSetting.SCORING_TIMEOUT_MS, s.scoringTimeoutMs()) + " "
                + setting(ServiceSetting.MAX_CONCURRENT_REQUESTS_PER_CONTAINER, s.maxConcurrentRequestsPerContainer())
                + " "
                + setting(ServiceSetting.MAX_QUEUE_WAIT_MS, s.maxQueueWaitMs()));
        out.println("Batching:     " + setting(ServiceSetting.MAX_BATCH_SIZE, s.maxBatchSize()) + " "
                + setting(ServiceSetting.MAX_BATCH_DELAY_MICROS, s.maxBatchDelayMicros()));
        out.println("Updated:      " + s.updatedTime());
        out.flush();
    }

    private static String setting(ServiceSetting setting, int value) {
        return setting.wireName() + "=" + value;
    }

    static void print(CommandSpec spec, OutputOptions output, Webservice s) {
        if (output.json()) {
            CliJson.print(spec.commandLine().getOut(), CliJson.service(s));
        } else {
            describe(spec.commandLine().getOut(), s);
        }
    }

    @Command(
            name = "deploy",
            description = "Deploy registered models as service NAME.",
            mixinStandardHelpOptions = true)
    static final class Deploy implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Mixin
        Settings settings;

        @Parameters(paramLabel = "NAME", description = "Service name: 3-32 lowercase letters, digits or dashes.")
        String name;

        @Option(
                names = {"--model", "-m"},
                required = true,
                paramLabel = "NAME:VERSION",
                description = "Model (repeatable).")
        List<String> models;

        @Option(
                names = "--runtime",
                description = "A runtime the server offers (scoria runtime list), e.g. onnx (no code),"
                        + " java (--code and --entry) or python (--code score.py|src.zip or --source-dir). Default: the one that takes"
                        + " --code's kind of file, or that serves the models with no code.")
        String runtime;

        @Option(
                names = "--code",
                paramLabel = "FILE",
                description = "The scorer JAR (java runtime), or the entry script or a zip"
                        + " of its folder (python runtime); uploaded with the deployment.")
        Path code;

        @Option(
                names = "--entry",
                paramLabel = "CLASS|SCRIPT",
                description =
                        "The scorer class in --code, e.g."
                                + " com.acme.MyScorer (java), or the entry script's path in the source folder (python; default score.py).")
        String entry;

        @Option(
                names = "--source-dir",
                paramLabel = "DIR",
                description =
                        "python runtime: the entry script's folder, zipped" + " and uploaded (instead of --code).")
        Path sourceDir;

        @Option(
                names = "--python",
                paramLabel = "PATH",
                description = "python runtime: the interpreter, e.g. a virtualenv's"
                        + " bin/python (default python3; same as --config python=PATH).")
        String python;

        @Option(
                names = "--workers",
                paramLabel = "N",
                description = "python runtime: worker processes (default 1; same as" + " --config workers=N).")
        Integer workers;

        @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A setting for the scorer (repeatable).")
        List<String> scorerConfig;

        @Option(
                names = "--input-example",
                paramLabel = "JSON|@FILE",
                description = "A sample request: the swagger input schema"
                        + " is generated from it (an onnx service also runs it once at deploy).")
        String inputExample;

        @Option(
                names = "--output-example",
                paramLabel = "JSON|@FILE",
                description = "A sample answer: the swagger output schema.")
        String outputExample;

        @Option(
                names = "--swagger",
                paramLabel = "JSON|@FILE",
                description = "A Swagger 2.0/OpenAPI 3 document to serve instead of a generated one.")
        String swagger;

        @Option(names = "--wait", description = "Wait until the service is Healthy or Failed, showing progress.")
        boolean wait;

        @Override
        public void run() {
            Workspace ws = client.connect();
            List<Model> resolved =
                    models.stream().map(id -> ModelCommand.byId(ws, id)).toList();
            if (code != null && !Files.isRegularFile(code)) {
                throw new CliErrors.CliFailure("--code " + code + " is not a file", 2);
            }
            boolean pythonFlags = sourceDir != null || python != null || workers != null;
            if (sourceDir != null) {
                if (code != null) {
                    throw new CliErrors.CliFailure("give --code or --source-dir, not both", 2);
                }
                try {
                    code = SourceDirZip.of(sourceDir);
                } catch (IOException e) {
                    throw new CliErrors.CliFailure(
                            "could not zip --source-dir " + sourceDir + ": " + e.getMessage(), 2);
                }
            }
            String chosenRuntime = runtime != null
                    ? runtime
                    // --python and --workers are the python runtime's own settings: they name it.
                    : python != null || workers != null
                            ? "python"
                            : RuntimeChoice.choose(
                                    ws.runtimes(),
                                    code == null ? null : code.getFileName().toString(),
                                    sourceDir != null ? "--source-dir " + sourceDir : "--code " + code,
                                    resolved);
            if (pythonFlags && !chosenRuntime.equals("python")) {
                throw new CliErrors.CliFailure("--source-dir, --python and --workers are for --runtime python", 2);
            }
            Map<String, String> runtimeConfig = new LinkedHashMap<>();
            Map<String, String> given = KeyValues.parse("--config", scorerConfig);
            if (given != null) {
                runtimeConfig.putAll(given);
            }
            if (python != null) {
                runtimeConfig.put("python", python);
            }
            if (workers != null) {
                runtimeConfig.put("workers", String.valueOf(workers));
            }
            InferenceConfig.Builder inference = InferenceConfig.builder();
            if (code != null) {
                inference.javaScorer(code, entry);
            }
            inference
                    .runtime(chosenRuntime)
                    .config(given == null && runtimeConfig.isEmpty() ? null : runtimeConfig)
                    .inputExample(DataArgument.read("--input-example", inputExample))
                    .outputExample(DataArgument.read("--output-example", outputExample))
                    .swagger(DataArgument.read("--swagger", swagger));
            Webservice service = Model.deploy(ws, name, resolved, inference.build(), settings.config());
            if (wait) {
                await(spec, service, output.json());
            } else if (!output.json()) {
                spec.commandLine()
                        .getOut()
                        .println("Deploying service '" + name + "' (state " + service.state()
                                + "); follow it with: scoria service show " + name);
            }
            print(spec, output, service);
        }
    }

    @Command(name = "list", description = "List services.", mixinStandardHelpOptions = true)
    static final class ListServices implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Option(names = "--model-name", description = "Only services using a model of this name.")
        String modelName;

        @Option(
                names = "--model-id",
                paramLabel = "NAME:VERSION",
                description = "Only services using this model version.")
        String modelId;

        @Option(names = "--tag", paramLabel = "KEY[=VALUE]", description = "Only services with this tag (repeatable).")
        List<String> tags;

        @Override
        public void run() {
            Webservice.Filter.Builder filter = Webservice.Filter.builder();
            if (modelName != null) {
                filter.modelName(modelName);
            }
            if (modelId != null) {
                filter.modelId(modelId);
            }
            if (tags != null) {
                for (String t : tags) {
                    int eq = t.indexOf('=');
                    if (eq < 0) {
                        filter.tag(t);
                    } else {
                        filter.tag(t.substring(0, eq), t.substring(eq + 1));
                    }
                }
            }
            List<Webservice> services = Webservice.list(client.connect(), filter.build());
            if (output.json()) {
                var array = CliJson.MAPPER.createArrayNode();
                services.forEach(s -> array.add(CliJson.service(s)));
                CliJson.print(spec.commandLine().getOut(), array);
                return;
            }
            Table table = new Table("NAME", "STATE", "AUTH", "MODELS", "SCORING URI");
            for (Webservice s : services) {
                table.row(
                        s.name(),
                        s.state(),
                        s.authMode().wireName(),
                        String.join(
                                ",", s.models().stream().map(ModelReference::id).toList()),
                        s.scoringUri());
            }
            table.print(spec.commandLine().getOut());
        }
    }

    @Command(
            name = "show",
            description = "Show a service: state, scoring and swagger URIs, auth, models.",
            mixinStandardHelpOptions = true)
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            print(spec, output, Webservice.get(client.connect(), name));
        }
    }

    @Command(name = "update", description = "Change a service's settings or models.", mixinStandardHelpOptions = true)
    static final class Update implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Mixin
        Settings settings;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = {"--model", "-m"},
                paramLabel = "NAME:VERSION",
                description = "New models (repeatable): reloads the service.")
        List<String> models;

        @Option(names = "--wait", description = "Wait for a model change to finish.")
        boolean wait;

        @Override
        public void run() {
            Workspace ws = client.connect();
            Webservice service = Webservice.get(ws, name);
            Webservice.Update.Builder update = Webservice.Update.builder().settings(settings.config());
            if (models != null) {
                update.models(
                        models.stream().map(id -> ModelCommand.byId(ws, id)).toList());
            }
            Webservice.Update built = update.build();
            service.update(built);
            if (wait && models != null) {
                await(spec, service, output.json());
            }
            print(spec, output, service);
        }
    }

    @Command(
            name = "delete",
            description = "Delete a service; its scoring URI stops answering at once.",
            mixinStandardHelpOptions = true)
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            Webservice.get(client.connect(), name).delete();
            spec.commandLine().getOut().println("Deleted service " + name);
        }
    }

    @Command(
            name = "keys",
            description = "Show a service's primary and secondary keys.",
            mixinStandardHelpOptions = true)
    static final class ShowKeys implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            printKeys(spec, output, Webservice.get(client.connect(), name).getKeys());
        }
    }

    static void printKeys(CommandSpec spec, OutputOptions output, Keys keys) {
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            CliJson.print(
                    out,
                    CliJson.MAPPER
                            .createObjectNode()
                            .put("primaryKey", keys.primaryKey())
                            .put("secondaryKey", keys.secondaryKey()));
        } else {
            out.println("Primary key:    " + keys.primaryKey());
            out.println("Secondary key:  " + keys.secondaryKey());
            out.flush();
        }
    }

    @Command(
            name = "regen-key",
            description = "Regenerate one key; the other keeps working.",
            mixinStandardHelpOptions = true)
    static final class RegenKey implements Runnable {
        enum Which {
            primary,
            secondary
        }

        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--key", required = true, description = "primary or secondary.")
        Which which;

        @Option(
                names = "--value",
                description = "Use this value (32-128 letters, digits, '-', '_') instead of a random one.")
        String value;

        @Override
        public void run() {
            KeyType type = which == Which.primary ? KeyType.Primary : KeyType.Secondary;
            Webservice service = Webservice.get(client.connect(), name);
            printKeys(spec, output, value == null ? service.regenKey(type) : service.regenKey(type, value));
        }
    }

    @Command(
            name = "get-access-token",
            description = "Get an access token for a token-auth service" + " (as az ml service get-access-token).",
            mixinStandardHelpOptions = true)
    static final class GetAccessToken implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Option(
                names = {"-n", "--name"},
                paramLabel = "NAME",
                description = "The service.")
        String nameOption;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The service (or -n NAME).")
        String name;

        @Override
        public void run() {
            String service = nameOption != null ? nameOption : name;
            if (service == null) {
                throw new CliErrors.CliFailure("which service? give -n NAME", 2);
            }
            var token = Webservice.get(client.connect(), service).getToken();
            CliJson.print(
                    spec.commandLine().getOut(),
                    CliJson.MAPPER
                            .createObjectNode()
                            .put("accessToken", token.accessToken())
                            .put("tokenType", token.tokenType())
                            .put("refreshAfter", token.refreshAfter().getEpochSecond())
                            .put("expiryOn", token.expiryOn().getEpochSecond()));
        }
    }

    @Command(name = "logs", description = "Show a service's log.", mixinStandardHelpOptions = true)
    static final class Logs implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--tail",
                defaultValue = "5000",
                description = "Lines from the end (default: ${DEFAULT-VALUE}).")
        int tail;

        @Override
        public void run() {
            spec.commandLine()
                    .getOut()
                    .print(Webservice.get(client.connect(), name).getLogs(tail));
            spec.commandLine().getOut().flush();
        }
    }
}
