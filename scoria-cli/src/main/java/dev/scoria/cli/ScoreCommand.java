package dev.scoria.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
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

    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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

    @Mixin
    OutputOptions output;

    @Override
    public void run() {
        String body = DataArgument.read("--data", data);
        String answer = Webservice.get(client.connect(), name).run(body, deployment);
        JsonNode json = answerAsJson(answer);
        output.print(spec, json, out -> out.println(answer), out -> JsonTsv.print(out, json));
    }

    /**
     * The service's answer as a JSON value, with numbers kept to the digits the service sent; an answer that is
     * not JSON (a scorer may return text) is a JSON string.
     */
    static JsonNode answerAsJson(String answer) {
        try {
            JsonNode json = EXACT.readTree(answer);
            return json == null || json.isMissingNode() ? TextNode.valueOf(answer) : json;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(answer);
        }
    }
}
