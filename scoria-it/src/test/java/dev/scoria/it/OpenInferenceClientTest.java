package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open Inference Protocol (KServe/Triton "V2") clients written from the specification and Triton's binary
 * tensor data extension (src/test/resources/openinference: Python with requests, Go with net/http),
 * against {@code scoria serve --demo} run from the real jar, with only the base URL and the service's key
 * given. Triton's and KServe's own client packages come from PyPI, which this project's machines do not
 * reach.
 */
class OpenInferenceClientTest {

    static final Path CLIENTS =
            Path.of("src", "test", "resources", "openinference").toAbsolutePath();

    @TempDir
    static Path work;

    static CliProcess.Server serve;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        serve = new CliProcess.Server(work, "--demo");
        key = serve.printed("Primary key:");
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void pythonClientReadsHealthAndMetadataAndScoresTheDocumentedRowsAsJsonAndBinary() throws Exception {
        String python = ClientCompatibilityTest.firstWorking(List.of("python3", "/usr/bin/python3"), "import requests");
        assumeTrue(python != null, "no python3 with the requests package (.ci/run installs python3-requests)");
        String out = ClientCompatibilityTest.run(
                List.of(python, CLIENTS.resolve("v2_client.py").toString(), serve.baseUrl(), key));
        assertThat(out.lines())
                .containsExactly(
                        "server live: True",
                        "server ready: True",
                        "server: scoria extensions: binary_tensor_data",
                        "model: myservice versions: 1 platform: onnxruntime_onnx inputs: input:FP64:[-1, 10] outputs: output:FP64:[-1]",
                        "model ready: True version 1 ready: True",
                        "json infer: myservice 1 tour-1 output FP64 [2] [217.67978776218715, 224.78937091757172]",
                        "binary infer: output FP64 [2] binary [217.67978776218715, 224.78937091757172]",
                        "wrong shape: 400 input 'input' has shape [4, 5]: the model expects [-1, 10] (-1: any size)",
                        "empty batch: 400 input 'input' has shape [0, 10]: it holds no rows; expected at least one",
                        "no key: 401 missing credentials: send 'Authorization: Bearer <key>' for service 'myservice'");
    }

    @Test
    void goClientScoresTheDocumentedRowsAsJsonAndWithBinaryTensorData() throws Exception {
        assumeTrue(
                ClientCompatibilityTest.works(List.of("go", "version")),
                "no Go toolchain (.ci/run installs golang-go)");
        String out = ClientCompatibilityTest.run(
                List.of("go", "run", CLIENTS.resolve("v2_client.go").toString(), serve.baseUrl(), key));
        assertThat(out.lines())
                .containsExactly(
                        "json myservice go-json output FP64 [2] [217.67978776218715,224.78937091757172]",
                        "binary myservice go-binary output FP64 [2] [217.67978776218715,224.78937091757172]");
    }
}
