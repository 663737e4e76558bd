package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python side without a server: worker_checks.py drives scoria_worker.py's dispatch, serialisation
 * and log lines and the azureml shims directly, with the interpreter the integration tests use.
 */
class WorkerScriptTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path scratch;

    @Test
    void theWorkerDispatchesAndSerialisesAsAzuresServerDoes() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON);
        Path runtime = scratch.resolve("runtime");
        for (String file : PythonModelRuntime.WORKER_FILES) {
            copy(PythonModelRuntime.RESOURCES + file, runtime.resolve(file));
        }
        Path checks = scratch.resolve("worker_checks.py");
        copy(PythonModelRuntime.RESOURCES + "worker_checks.py", checks);
        Files.createDirectories(scratch.resolve("models"));
        Process process = new ProcessBuilder(
                        PYTHON.toString(),
                        checks.toString(),
                        runtime.toString(),
                        scratch.resolve("models").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("all checks passed");
    }

    private static void copy(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (var in = WorkerScriptTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, target);
        }
    }
}
