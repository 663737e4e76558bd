package dev.scoria.cli;

import dev.scoria.client.Webservice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scoria score NAME --data JSON|@file|-}: calls the service's scoring URI and prints the answer. */
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

    @Override
    public void run() {
        String body = DataArgument.read("--data", data);
        spec.commandLine()
                .getOut()
                .println(Webservice.get(client.connect(), name).run(body));
        spec.commandLine().getOut().flush();
    }
}
