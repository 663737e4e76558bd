package dev.scoria.cli;

import dev.scoria.client.AccessToken;
import dev.scoria.client.AuthMode;
import dev.scoria.client.Deployment;
import dev.scoria.client.DeploymentConfig;
import dev.scoria.client.KeyType;
import dev.scoria.client.Keys;
import dev.scoria.client.Model;
import dev.scoria.client.ModelReference;
import dev.scoria.client.ServiceSetting;
import dev.scoria.client.Webservice;
import dev.scoria.client.WebserviceException;
import dev.scoria.client.WebserviceState;
import dev.scoria.client.Workspace;
import java.io.PrintWriter;
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

/** {@code scoria service deploy|list|show|update|delete|traffic|mirror|keys|regen-key|get-access-token|logs}. */
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
            ServiceCommand.Traffic.class,
            ServiceCommand.Mirror.class,
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

        @Mixin
        LimitOptions limits;

        @Option(
                names = "--cors-origin",
                paramLabel = "ORIGIN",
                description =
                        "Origin whose browser pages may call the service, e.g. https://app.example.com, or * (repeatable).")
        List<String> corsOrigins;

        /** The settings given on the command line; those not given are null (the server's default, or unchanged). */
        DeploymentConfig config() {
            return CliErrors.fromCommandLine(() -> limits.applyTo(DeploymentConfig.builder()
                            .description(description)
                            .tags(KeyValues.parse("--tag", tags))
                            .properties(KeyValues.parse("--property", properties))
                            .authMode(
                                    auth == null
                                            ? null
                                            : AuthMode.valueOf(auth.name().toUpperCase(Locale.ROOT)))
                            .corsOrigins(corsOrigins))
                    .build());
        }
    }

    /** Waits for a deployment, printing progress, and fails the command if it ends Failed. */
    static void await(CommandSpec spec, Webservice service, boolean quiet) {
        WebserviceState state;
        try {
            state = service.waitForDeployment(!quiet, Webservice.DEFAULT_DEPLOYMENT_TIMEOUT, logsHint(service.name()));
        } catch (WebserviceException e) {
            // No HTTP status: the calls succeeded and the deployment itself ended Failed, which the server explains.
            if (e.statusCode() == 0 && e.serverMessage() != null) {
                throw new CliErrors.CliFailure(
                        "service '" + service.name() + "' is Failed: " + e.serverMessage(), CliErrors.FAILED);
            }
            throw e;
        }
        if (state != WebserviceState.Healthy) {
            throw new CliErrors.CliFailure(
                    "service '" + service.name() + "' is " + state
                            + service.error().map(e -> ": " + e.message()).orElse(""),
                    CliErrors.FAILED);
        }
    }

    /** What a CLI user runs to read the logs of a service whose deployment failed. */
    static String logsHint(String service) {
        return "More information may be in its log: scoria service logs " + service;
    }

    static void describe(PrintWriter out, Webservice s, List<Deployment> deployments) {
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
        out.println("Deployments:");
        DeploymentCommand.table(deployments).print(out, "  ");
        out.flush();
    }

    private static String setting(ServiceSetting setting, int value) {
        return setting.wireName() + "=" + value;
    }

    /** The services as a table: name, state, auth, models, scoring URI. */
    static Table table(List<Webservice> services) {
        Table table = new Table("NAME", "STATE", "AUTH", "MODELS", "SCORING URI");
        for (Webservice s : services) {
            table.row(
                    s.name(),
                    s.state(),
                    s.authMode().wireName(),
                    String.join(",", s.models().stream().map(ModelReference::id).toList()),
                    s.scoringUri());
        }
        return table;
    }

    /** Prints the service with its deployments (fetched now); TSV is its row of {@code service list}. */
    static void print(CommandSpec spec, OutputOptions output, Webservice s) {
        List<Deployment> deployments = s.deployments();
        output.print(spec, CliJson.service(s, deployments), table(List.of(s)), out -> describe(out, s, deployments));
    }

    /** The live split and the mirror: a table of the deployments, or the service's two maps as JSON. */
    static void printTraffic(CommandSpec spec, OutputOptions output, Webservice s) {
        output.print(
                spec, CliJson.traffic(CliJson.MAPPER.createObjectNode(), s), DeploymentCommand.table(s.deployments()));
    }

    /** {@code blue=90 green=10} as an ordered map; exit 2 for a term that is not NAME=PERCENT. */
    static Map<String, Integer> percentages(List<String> terms) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        for (String term : terms) {
            int eq = term.indexOf('=');
            Integer percent = null;
            if (eq > 0) {
                try {
                    percent = Integer.valueOf(term.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    percent = null;
                }
            }
            if (percent == null) {
                throw new CliErrors.CliFailure(
                        "'" + term + "' must be DEPLOYMENT=PERCENT, e.g. blue=90 (a whole number of percent)", 2);
            }
            if (shares.put(term.substring(0, eq), percent) != null) {
                throw new CliErrors.CliFailure("deployment '" + term.substring(0, eq) + "' is given twice", 2);
            }
        }
        return shares;
    }

    @Command(
            name = "deploy",
            description = "Deploy registered models, or an entry script, as service NAME.",
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
                paramLabel = "NAME:VERSION",
                description = "Model (repeatable); none for an entry script that needs no model (python runtime).")
        List<String> models;

        @Mixin
        InferenceOptions inference;

        @Option(names = "--wait", description = "Wait until the service is Healthy or Failed, showing progress.")
        boolean wait;

        @Override
        public void run() {
            inference.requireSomethingToDeploy(models);
            Workspace ws = client.connect();
            List<Model> resolved = models == null
                    ? List.of()
                    : models.stream().map(id -> ModelCommand.byId(ws, id)).toList();
            Webservice service =
                    Model.deploy(ws, name, resolved, inference.inferenceConfig(ws, resolved), settings.config());
            if (wait) {
                await(spec, service, !output.human());
            } else if (output.human()) {
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
            var array = CliJson.MAPPER.createArrayNode();
            services.forEach(s -> array.add(CliJson.service(s)));
            output.print(spec, array, table(services));
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
            DeploymentConfig changed = settings.config();
            if (models == null && changed.equals(DeploymentConfig.defaults())) {
                throw new CliErrors.CliFailure(
                        "No parameters provided to update: give --model or a setting to change"
                                + " (see scoria service update --help)",
                        CliErrors.USAGE);
            }
            Workspace ws = client.connect();
            Webservice service = Webservice.get(ws, name);
            Webservice.Update.Builder update = Webservice.Update.builder().settings(changed);
            if (models != null) {
                update.models(
                        models.stream().map(id -> ModelCommand.byId(ws, id)).toList());
            }
            Webservice.Update built = update.build();
            service.update(built);
            if (wait && models != null) {
                await(spec, service, !output.human());
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

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            Webservice.get(client.connect(), name).delete();
            output.confirm(spec, "Deleted service " + name);
        }
    }

    @Command(
            name = "traffic",
            description = "Share SERVICE's live requests between its deployments, e.g. 'blue=90 green=10' (whole"
                    + " percents summing to 100; deployments left out get none). With no shares: show the split.",
            mixinStandardHelpOptions = true)
    static final class Traffic implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String name;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "DEPLOYMENT=PERCENT")
        List<String> shares;

        @Override
        public void run() {
            Map<String, Integer> split = shares == null ? null : percentages(shares);
            Webservice service = Webservice.get(client.connect(), name);
            if (split != null) {
                service.setTraffic(split);
            }
            printTraffic(spec, output, service);
        }
    }

    @Command(
            name = "mirror",
            description = "Copy a share of SERVICE's live requests (at most 50%) to a deployment that takes no live"
                    + " traffic, e.g. 'green=10': it scores the copies, its answers are dropped. --off stops"
                    + " mirroring. With neither: show the split and the mirror.",
            mixinStandardHelpOptions = true)
    static final class Mirror implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DEPLOYMENT=PERCENT")
        String share;

        @Option(names = "--off", description = "Stop mirroring.")
        boolean off;

        @Override
        public void run() {
            if (off && share != null) {
                throw new CliErrors.CliFailure("give DEPLOYMENT=PERCENT or --off, not both", 2);
            }
            Map<String, Integer> mirror = share == null ? null : percentages(List.of(share));
            Webservice service = Webservice.get(client.connect(), name);
            if (off) {
                service.stopMirror();
            } else if (mirror != null) {
                Map.Entry<String, Integer> only = mirror.entrySet().iterator().next();
                service.setMirror(only.getKey(), only.getValue());
            }
            printTraffic(spec, output, service);
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

    /** The two keys: {@code {"primaryKey", "secondaryKey"}} as JSON, one line of both in TSV. */
    static void printKeys(CommandSpec spec, OutputOptions output, Keys keys) {
        output.print(
                spec,
                CliJson.MAPPER
                        .createObjectNode()
                        .put("primaryKey", keys.primaryKey())
                        .put("secondaryKey", keys.secondaryKey()),
                new Table("PRIMARY KEY", "SECONDARY KEY").row(keys.primaryKey(), keys.secondaryKey()),
                out -> {
                    out.println("Primary key:    " + keys.primaryKey());
                    out.println("Secondary key:  " + keys.secondaryKey());
                });
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

        @Mixin
        OutputOptions output;

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
            AccessToken token = Webservice.get(client.connect(), service).getToken();
            // Times are epoch seconds in JSON and TSV, as Azure's get_token() gives them; the table shows the instant.
            long refreshAfter = token.refreshAfter().getEpochSecond();
            long expiryOn = token.expiryOn().getEpochSecond();
            output.print(
                    spec,
                    CliJson.MAPPER
                            .createObjectNode()
                            .put("accessToken", token.accessToken())
                            .put("tokenType", token.tokenType())
                            .put("refreshAfter", refreshAfter)
                            .put("expiryOn", expiryOn),
                    new Table("ACCESS TOKEN", "TOKEN TYPE", "REFRESH AFTER", "EXPIRY ON")
                            .row(
                                    token.accessToken(),
                                    token.tokenType(),
                                    Table.shown(
                                            refreshAfter, token.refreshAfter().toString()),
                                    Table.shown(expiryOn, token.expiryOn().toString())));
        }
    }

    @Command(name = "logs", description = "Show a service's log.", mixinStandardHelpOptions = true)
    static final class Logs implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--tail",
                defaultValue = "5000",
                description = "Lines from the end (default: ${DEFAULT-VALUE}).")
        int tail;

        @Override
        public void run() {
            if (tail <= 0) {
                throw new CliErrors.CliFailure(
                        "--tail is " + tail + ": expected a number of lines greater than 0", CliErrors.USAGE);
            }
            String log = Webservice.get(client.connect(), name).getLogs(tail);
            // A log is lines already: the table and TSV print them as they are; JSON is the API's {"content": ...}.
            output.print(
                    spec,
                    CliJson.MAPPER.createObjectNode().put("content", log),
                    out -> out.print(log),
                    out -> out.print(log));
        }
    }
}
