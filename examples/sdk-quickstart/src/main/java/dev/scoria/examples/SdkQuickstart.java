package dev.scoria.examples;

import dev.scoria.client.AuthMode;
import dev.scoria.client.DeploymentConfig;
import dev.scoria.client.InferenceConfig;
import dev.scoria.client.Keys;
import dev.scoria.client.Model;
import dev.scoria.client.Webservice;
import dev.scoria.client.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Scoria SDK in one page: register a model, deploy it as a web service, call it, clean up.
 *
 * <pre>
 * SdkQuickstart [--url URL] [--token TOKEN] [--model PATH] [--service NAME] [--keep]
 * </pre>
 *
 * {@code --url} and {@code --token} default to {@code SCORIA_URL} (else {@code http://127.0.0.1:5001}) and
 * {@code SCORIA_TOKEN}; {@code --model} to
 * the demo diabetes model; {@code --service} to {@code sdk-quickstart}. {@code --keep} leaves the service running.
 */
public final class SdkQuickstart {

    /** Two patients of the diabetes data set: the request of Azure ML's "consume a web service" samples. */
    static final String REQUEST = "{\"data\": ["
            + "[0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635, -0.0359677812752396,"
            + " -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597, 0.0403433716478807],"
            + " [-0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822, 0.0479653430750293,"
            + " 0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102, 0.00720651632920303]]}";

    private SdkQuickstart() {}

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);

        // 1. Connect to the workspace: a server URL and its admin token.
        Workspace ws = Workspace.connect(options.url, options.token);

        // 2. Register the model file; every registration is a new version.
        Path modelFile = options.model != null ? Path.of(options.model) : demoModel();
        Model model = Model.register(
                ws,
                modelFile,
                "diabetes-ridge",
                Model.RegisterOptions.builder()
                        .description("Ridge regression on the diabetes data set")
                        .build());
        System.out.println("Registered model " + model.id() + " (sha256 " + model.sha256() + ")");

        // 3. Deploy it: ONNX runs with no scoring code; the input example is checked at deploy time.
        InferenceConfig inference =
                InferenceConfig.builder().runtime("onnx").inputExample(REQUEST).build();
        DeploymentConfig deployment = DeploymentConfig.builder()
                .authMode(AuthMode.KEY)
                .description("SDK quickstart")
                .tag("example", "sdk-quickstart")
                .build();
        Webservice service = Model.deploy(ws, options.service, List.of(model), inference, deployment);
        service.waitForDeployment(true);

        // 4. What a client needs to call the service.
        Keys keys = service.getKeys();
        System.out.println("Scoring URI:   " + service.scoringUri());
        System.out.println("Swagger URI:   " + service.swaggerUri());
        System.out.println("Primary key:   " + keys.primaryKey());
        System.out.println("Secondary key: " + keys.secondaryKey());

        // 5. Score: the answer is the service's JSON, unchanged.
        System.out.println("Prediction:    " + service.run(REQUEST));

        // 6. Clean up, unless asked to keep the service for other clients to call.
        if (options.keep) {
            System.out.println(
                    "Kept service " + service.name() + "; delete it with: scoria service delete " + service.name());
        } else {
            service.delete();
            model.delete();
            System.out.println("Deleted service " + service.name() + " and model " + model.id());
        }
    }

    /** The demo model ships inside this example's jar; the SDK uploads files, so it goes to a temporary one. */
    private static Path demoModel() throws IOException {
        Path file = Files.createTempDirectory("scoria-quickstart").resolve("diabetes-ridge.onnx");
        try (InputStream in = SdkQuickstart.class.getResourceAsStream("/diabetes-ridge.onnx")) {
            if (in == null) {
                throw new IllegalStateException("diabetes-ridge.onnx is missing from the classpath");
            }
            Files.copy(in, file);
        }
        file.toFile().deleteOnExit();
        file.getParent().toFile().deleteOnExit();
        return file;
    }

    /** The command line; kept by hand so that the example needs nothing but the SDK. */
    private static final class Options {
        String url = System.getenv().getOrDefault("SCORIA_URL", Workspace.DEFAULT_URL);
        String token = System.getenv("SCORIA_TOKEN");
        String model;
        String service = "sdk-quickstart";
        boolean keep;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> o.url = value(args, ++i);
                    case "--token" -> o.token = value(args, ++i);
                    case "--model" -> o.model = value(args, ++i);
                    case "--service" -> o.service = value(args, ++i);
                    case "--keep" -> o.keep = true;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown argument '" + args[i]
                                        + "'; usage: SdkQuickstart [--url URL] [--token TOKEN] [--model PATH] [--service NAME] [--keep]");
                }
            }
            if (o.token == null || o.token.isBlank()) {
                throw new IllegalArgumentException("no admin token: pass --token or set SCORIA_TOKEN"
                        + " (the server keeps it in <data-dir>/admin-token)");
            }
            return o;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }
}
