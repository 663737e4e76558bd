package dev.scoria.cli;

import dev.scoria.client.Webservice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scoria score NAME --data JSON|@file|- [--deployment D]}: calls the service's scoring URI and prints the answer. */
@Command(
        name = "score",
        description = "Score a request with a service and print its answer.",
        mixinStandardHelpOptions = true)
final class ScoreCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
            names = {"--data", "-d"},
            required = true,
            paramLabel = "JSON|@FILE|-",
            description = "The request body, e.g. '{\"data\": [[...]]}', @request.json, or - for standard input.")
    String data;

    @Option(
            names = "--deployment",
            paramLabel = "DEPLOYMENT",
            description = "Score with this deployment of the service, whatever its share of the traffic (sends the"
                    + " azureml-model-deployment header).")
    String deployment;

    @Override
    public void run() {
        String body = DataArgument.read("--data", data);
        spec.commandLine()
                .getOut()
                .println(Webservice.get(client.connect(), name).run(body, deployment));
        spec.commandLine().getOut().flush();
    }
}
