package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What scoria_worker.py does to contain itself before the script is imported, checked on a real worker
 * process without a server (Linux only: the parent-death signal and the reaper are Linux's). The
 * end-to-end checks, with a server killed with SIGKILL, are scoria-it's MisbehavingCodeTest.
 */
class WorkerContainmentTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final ObjectMapper JSON = new ObjectMapper();

    /** A non-daemon thread started in init() (which would hold a normal interpreter exit), and a grandchild. */
    static final String SCRIPT = """
            import json, os, resource, threading, time

            def init():
                threading.Thread(target=time.sleep, args=(60,)).start()

            def run(raw_data):
                read, write = os.pipe()
                middle = os.fork()
                if middle == 0:
                    grandchild = os.fork()
                    if grandchild == 0:
                        time.sleep(60)
                        os._exit(0)
                    os.write(write, str(grandchild).encode())
                    os._exit(0)
                os.waitpid(middle, 0)
                return {"pid": os.getpid(), "pgid": os.getpgid(0), "grandchild": int(os.read(read, 32)),
                        "dataLimit": resource.getrlimit(resource.RLIMIT_DATA)[0],
                        "env": sorted(k for k in os.environ if k.startswith("SCORIA_"))}
            """;

    @TempDir
    Path dir;

    private Process worker;

    @AfterEach
    void killWhatIsLeft() {
        if (worker != null) {
            worker.descendants().forEach(ProcessHandle::destroyForcibly);
            worker.destroyForcibly();
        }
    }

    @Test
    void theWorkerLeadsItsGroupHasItsLimitAndTakesItsGroupAlongWhenTheServerGoes() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON);
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux only");
        Path runtime = dir.resolve("runtime");
        for (String file : PythonModelRuntime.WORKER_FILES) {
            Path target = runtime.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = getClass().getResourceAsStream(PythonModelRuntime.RESOURCES + file)) {
                Files.copy(in, target);
            }
        }
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(source.resolve("score.py"), SCRIPT);
        ProcessBuilder builder = new ProcessBuilder(
                        PYTHON.toString(),
                        runtime.resolve("scoria_worker.py").toString(),
                        runtime.resolve("shims").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment()
                .putAll(Map.of(
                        "PATH", "/usr/bin:/bin",
                        "AZUREML_SOURCE_DIRECTORY", source.toString(),
                        "AZUREML_ENTRY_SCRIPT", "score.py",
                        "SCORIA_SERVER_PID",
                                String.valueOf(ProcessHandle.current().pid()),
                        "SCORIA_MEMORY_LIMIT_MB", "200"));
        worker = WorkerLauncher.start(builder);

        assertThat(Frames.read(worker.getInputStream()).type()).isEqualTo("ready");
        Frames.write(
                worker.getOutputStream(),
                Frames.header("score")
                        .put("id", "r1")
                        .put("method", "POST")
                        .put("path", "/score")
                        .put("contentType", "text/plain"),
                "go".getBytes(StandardCharsets.UTF_8));
        Frames.Frame answer = Frames.read(worker.getInputStream());
        assertThat(answer.type()).as(answer.header().toString()).isEqualTo("result");
        JsonNode result = JSON.readTree(answer.body());
        assertThat(result.get("pgid").asLong()).isEqualTo(worker.pid());
        assertThat(result.get("dataLimit").asLong()).isEqualTo(200L * 1024 * 1024);
        assertThat(result.get("env"))
                .as("the worker's own settings are read and removed")
                .isEmpty();
        long grandchild = result.get("grandchild").asLong();
        assertThat(running(grandchild)).isTrue();
        assertThat(worker.descendants()
                        .map(p -> p.info().commandLine().orElse(""))
                        .filter(c -> c.contains("scoria_reaper.py " + worker.pid())))
                .as("the group reaper")
                .hasSize(1);

        // The server closes the pipe (as when it dies): the worker leaves despite its non-daemon thread, and
        // the reaper takes the grandchild, which is no longer the worker's descendant, along.
        worker.getOutputStream().close();
        assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.currentTimeMillis() + 5000;
        while (running(grandchild) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(running(grandchild))
                .as("the grandchild (pid %d)", grandchild)
                .isFalse();
    }

    /** Alive and not a zombie (an orphan killed here stays one until init reaps it). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
