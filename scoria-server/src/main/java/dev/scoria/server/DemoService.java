package dev.scoria.server;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelUpload;
import dev.scoria.core.service.DeployRequest;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceSettings;
import dev.scoria.core.service.ServiceState;
import dev.scoria.core.service.SettingsPatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The demo of {@code scoria serve --demo}: the diabetes ridge regression of Azure ML's documentation,
 * registered as model {@code diabetes} and deployed as service {@code myservice} with key auth. Only
 * what is missing is created, so a restart keeps the same service and keys.
 */
public final class DemoService {

    public static final String MODEL = "diabetes";
    public static final String SERVICE = "myservice";
    private static final String RESOURCES = "/demo/diabetes-ridge/";

    private DemoService() {}

    /** Ensures the demo service exists and waits (up to {@code timeoutMs}) until it has settled. */
    public static ServiceRecord ensure(ScoriaServer server, long timeoutMs) throws InterruptedException {
        List<ModelRecord> existing = server.models().list(MODEL, Map.of(), true);
        ModelRecord model = existing.isEmpty() ? register(server) : existing.get(0);
        if (server.live().get(SERVICE) == null) {
            try {
                ServiceSettings settings = SettingsPatch.builder()
                        .description(
                                "Diabetes progression (ridge regression), the service of Azure ML's consume-a-web-service docs")
                        .tags(Map.of("demo", "true"))
                        .build()
                        .applyTo(ServiceSettings.DEFAULTS);
                server.services()
                        .deploy(new DeployRequest(
                                SERVICE, settings, List.of(model.ref()), SchemaSpec.input(sampleRequest())));
            } catch (ScoriaException e) {
                if (e.kind() != ErrorKind.CONFLICT) {
                    throw e;
                }
                // Another replica sharing the workspace deployed it first.
            }
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        ServiceRecord record = server.services().get(SERVICE);
        while (record.state() == ServiceState.Transitioning && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            record = server.services().get(SERVICE);
        }
        return record;
    }

    /** The two-row request of the documentation. */
    public static String sampleRequest() {
        try (InputStream in = DemoService.class.getResourceAsStream(RESOURCES + "request.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModelRecord register(ScoriaServer server) {
        try {
            Path tmp = Files.createTempFile("scoria-demo", ".onnx");
            try (InputStream in = DemoService.class.getResourceAsStream(RESOURCES + "model.onnx")) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return server.models()
                        .register(new ModelUpload(
                                MODEL,
                                "Onnx",
                                null,
                                "Ridge(alpha=0.4) on the scikit-learn diabetes data: 10 scaled features -> disease progression",
                                Map.of("source", "scoria-demo"),
                                Map.of("features", "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6"),
                                List.of(new ModelUpload.UploadedFile("model.onnx", tmp))));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not register the demo model", e);
        }
    }
}
