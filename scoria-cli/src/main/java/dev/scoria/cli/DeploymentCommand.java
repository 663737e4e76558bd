package dev.scoria.cli;

import dev.scoria.client.Deployment;
import dev.scoria.client.DeploymentConfig;
import dev.scoria.client.DeploymentOperation;
import dev.scoria.client.Model;
import dev.scoria.client.ModelReference;
import dev.scoria.client.ServiceSetting;
import dev.scoria.client.Webservice;
import dev.scoria.client.WebserviceException;
import dev.scoria.client.WebserviceState;
import dev.scoria.client.Workspace;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scoria deployment create|list|show|update|delete}: the deployments of a service, each with its own
 * models, runtime and limits behind the service's one scoring URI (how traffic is shared between them is
 * {@code service traffic} and {@code service mirror}).
 */
@Command(
        name = "deployment",
        description = "Manage the deployments of a service (blue/green rollouts, mirror traffic).",
        mixinStandardHelpOptions = true,
        subcommands = {
            DeploymentCommand.Create.class,
            DeploymentCommand.ListDeployments.class,
            DeploymentCommand.Show.class,
            DeploymentCommand.Update.class,
            DeploymentCommand.Delete.class
        })
final class DeploymentCommand {

    private DeploymentCommand() {}

    /**
     * The deployments as a table: name, state, live and mirror share, runtime, models, generation. The shares are
     * shown as {@code 90%} (a mirror of none as {@code -}); TSV has the whole numbers.
     */
    static Table table(List<Deployment> deployments) {
        Table table = new Table("NAME", "STATE", "TRAFFIC", "MIRROR", "RUNTIME", "MODELS", "GENERATION");
        for (Deployment d : deployments) {
            table.row(
                    d.name(),
                    d.state(),
                    Table.shown(d.trafficPercent(), d.trafficPercent() + "%"),
                    Table.shown(
                            d.mirrorTrafficPercent(),
                            d.mirrorTrafficPercent() == 0 ? "-" : d.mirrorTrafficPercent() + "%"),
                    d.runtime(),
                    models(d),
                    d.generation());
        }
        return table;
    }

    static void describe(PrintWriter out, Deployment d) {
        out.println("Deployment:   " + d.name());
        out.println("Service:      " + d.serviceName());
        out.println("State:        " + d.state()
                + d.error().map(e -> " (" + e.message() + ")").orElse(""));
        out.println("Traffic:      " + d.trafficPercent() + "% live"
                + (d.mirrorTrafficPercent() == 0 ? "" : ", " + d.mirrorTrafficPercent() + "% mirrored")
                + (d.primary() ? " (primary)" : ""));
        out.println("Runtime:      " + d.runtime());
        d.entry().ifPresent(entry -> out.println("Entry:        " + entry));
        if (!d.config().isEmpty()) {
            out.println("Config:       " + d.config());
        }
        out.println("Models:       " + models(d));
        out.println("Limits:       " + setting(ServiceSetting.SCORING_TIMEOUT_MS, d.scoringTimeoutMs()) + " "
                + setting(ServiceSetting.MAX_CONCURRENT_REQUESTS_PER_CONTAINER, d.maxConcurrentRequestsPerContainer())
                + " "
                + setting(ServiceSetting.MAX_QUEUE_WAIT_MS, d.maxQueueWaitMs()));
        out.println("Batching:     " + setting(ServiceSetting.MAX_BATCH_SIZE, d.maxBatchSize()) + " "
                + setting(ServiceSetting.MAX_BATCH_DELAY_MICROS, d.maxBatchDelayMicros()));
        out.println("Generation:   " + d.generation());
        out.println("Created:      " + d.createdTime());
        out.flush();
    }

    /** Prints one deployment; TSV is its row of {@code deployment list}. */
    static void print(CommandSpec spec, OutputOptions output, Deployment d) {
        output.print(spec, CliJson.deployment(d), table(List.of(d)), out -> describe(out, d));
    }

    private static String models(Deployment d) {
        return String.join(",", d.models().stream().map(ModelReference::id).toList());
    }

    private static String setting(ServiceSetting setting, int value) {
        return setting.wireName() + "=" + value;
    }

    /** Waits for a deployment, printing progress unless JSON is asked for; exit 1 if it ends Failed. */
    static Deployment await(DeploymentOperation operation, boolean quiet) {
        Deployment done;
        try {
            done = operation.waitForDeployment(
                    !quiet,
                    Webservice.DEFAULT_DEPLOYMENT_TIMEOUT,
                    ServiceCommand.logsHint(operation.service().name()));
        } catch (WebserviceException e) {
            if (e.statusCode() == 0 && e.serverMessage() != null) {
                throw new CliErrors.CliFailure(
                        "deployment '" + operation.deploymentName() + "' of service '"
                                + operation.service().name() + "' is Failed: " + e.serverMessage(),
                        CliErrors.FAILED);
            }
            throw e;
        }
        if (done.state() != WebserviceState.Healthy) {
            throw new CliErrors.CliFailure(
                    "deployment '" + done.name() + "' of service '" + done.serviceName() + "' is " + done.state()
                            + done.error().map(e -> ": " + e.message()).orElse(""),
                    CliErrors.FAILED);
        }
        return done;
    }

    @Command(
            name = "create",
            description = "Add deployment NAME to SERVICE, beside those serving. It takes no traffic until"
                    + " 'scoria service traffic' gives it some; 'scoria score --deployment NAME' reaches it at once.",
            mixinStandardHelpOptions = true)
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Mixin
        InferenceOptions inference;

        @Mixin
        LimitOptions limits;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(
                index = "1",
                paramLabel = "NAME",
                description = "Deployment name: 1-32 lowercase letters, digits or dashes.")
        String name;

        @Option(
                names = {"--model", "-m"},
                paramLabel = "NAME:VERSION",
                description = "Model (repeatable); none for an entry script that needs no model (python runtime).")
        List<String> models;

        @Option(names = "--wait", description = "Wait until the deployment is Healthy or Failed, showing progress.")
        boolean wait;

        @Override
        public void run() {
            inference.requireSomethingToDeploy(models);
            Workspace ws = client.connect();
            Webservice webservice = Webservice.get(ws, service);
            List<Model> resolved = models == null
                    ? List.of()
                    : models.stream().map(id -> ModelCommand.byId(ws, id)).toList();
            DeploymentOperation operation = webservice.createDeployment(
                    name, resolved, inference.inferenceConfig(ws, resolved), limits.config());
            Deployment shown = operation.deployment();
            if (wait) {
                shown = await(operation, !output.human());
            } else if (output.human()) {
                spec.commandLine()
                        .getOut()
                        .println("Creating deployment '" + name + "' of service '" + service + "' (state "
                                + shown.state() + "); follow it with: scoria deployment show " + service + " " + name);
            }
            print(spec, output, shown);
        }
    }

    @Command(name = "list", description = "List the deployments of SERVICE.", mixinStandardHelpOptions = true)
    static final class ListDeployments implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "SERVICE")
        String service;

        @Override
        public void run() {
            List<Deployment> deployments =
                    Webservice.get(client.connect(), service).deployments();
            var array = CliJson.MAPPER.createArrayNode();
            deployments.forEach(d -> array.add(CliJson.deployment(d)));
            output.print(spec, array, table(deployments));
        }
    }

    @Command(
            name = "show",
            description = "Show a deployment: state, share of the traffic, runtime, models, limits.",
            mixinStandardHelpOptions = true)
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            print(spec, output, Webservice.get(client.connect(), service).deployment(name));
        }
    }

    @Command(
            name = "update",
            description =
                    "Change a deployment's models (loaded beside the old ones, which serve until the new ones"
                            + " are ready) or limits (at once). Runtime and code: create another deployment (or PATCH it through the API).",
            mixinStandardHelpOptions = true)
    static final class Update implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Mixin
        LimitOptions limits;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(
                names = {"--model", "-m"},
                paramLabel = "NAME:VERSION",
                description = "New models (repeatable): reloads the deployment.")
        List<String> models;

        @Option(names = "--wait", description = "Wait for a model change to finish.")
        boolean wait;

        @Override
        public void run() {
            DeploymentConfig changed = limits.config();
            if (models == null && changed.equals(DeploymentConfig.defaults())) {
                throw new CliErrors.CliFailure(
                        "nothing to change: give --model or a limit (see scoria deployment update --help)", 2);
            }
            Workspace ws = client.connect();
            Webservice webservice = Webservice.get(ws, service);
            List<Model> resolved = models == null
                    ? null
                    : models.stream().map(id -> ModelCommand.byId(ws, id)).toList();
            DeploymentOperation operation = webservice.updateDeployment(name, resolved, changed);
            Deployment shown = operation.deployment();
            if (wait && models != null) {
                shown = await(operation, !output.human());
            }
            print(spec, output, shown);
        }
    }

    @Command(
            name = "delete",
            description = "Delete a deployment that takes no traffic (refused while it takes live or mirror traffic,"
                    + " or is the service's last).",
            mixinStandardHelpOptions = true)
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            Webservice.get(client.connect(), service).deleteDeployment(name);
            output.confirm(spec, "Deleted deployment " + name + " of service " + service);
        }
    }
}
