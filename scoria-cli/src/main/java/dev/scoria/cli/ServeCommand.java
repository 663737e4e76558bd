package dev.scoria.cli;

import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceState;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scoria serve}: runs the server in the foreground until interrupted. */
@Command(name = "serve", description = "Run the Scoria server in the foreground (Ctrl+C stops it).",
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "5001")
    int port;

    @Option(names = "--data-dir", description = "Where models, services and keys are kept (default: ${DEFAULT-VALUE}).",
            defaultValue = "scoria-data")
    Path dataDir;

    @Option(names = "--demo", description = "Register the demo model and deploy it as service 'myservice' (if missing).")
    boolean demo;

    @Option(names = "--max-body-mb", description = "Largest scoring request body in MiB (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int maxBodyMb;

    @Option(names = "--public-url", description = "Base URL to print in scoring URIs, e.g. https://models.example.com"
            + " (default: the address each client used).")
    String publicUrl;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (maxBodyMb < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-body-mb must be at least 1, saw " + maxBodyMb);
        }
        ScoriaServer server = ScoriaServer.start(ServerConfig.builder().host(host).port(port).dataDir(dataDir)
                .maxBodyBytes((long) maxBodyMb * 1024 * 1024).publicUrl(publicUrl).build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "scoria-shutdown"));
        out.println("Scoria " + ScoriaServer.VERSION + " is serving " + server.baseUrl() + "  (data: " + server.dataDir() + ")");
        if (server.adminTokenCreated()) {
            out.println("Admin token (created now; shown once, kept in " + server.dataDir().resolve("admin-token") + "):");
            out.println("  " + server.adminToken());
        }
        if (demo) {
            ServiceRecord service = DemoService.ensure(server, 120_000);
            printService(out, server, service);
        }
        out.println();
        out.println("Press Ctrl+C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    private static void printService(PrintWriter out, ScoriaServer server, ServiceRecord service) {
        String prefix = server.baseUrl() + "/api/v1/service/" + service.name();
        out.println();
        out.println("Service '" + service.name() + "' is " + service.state()
                + (service.state() == ServiceState.Failed ? ": " + service.error() : ""));
        out.println("  Scoring URI:  " + prefix + "/score");
        out.println("  Swagger URI:  " + prefix + "/swagger.json");
        out.println("  Primary key:  " + service.keys().primary());
        out.println();
        out.println("Try it:");
        out.println("  curl -s " + prefix + "/score \\");
        out.println("    -H \"Authorization: Bearer " + service.keys().primary() + "\" \\");
        out.println("    -H \"Content-Type: application/json\" \\");
        out.println("    -d '" + DemoService.sampleRequest() + "'");
    }
}
