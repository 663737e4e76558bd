package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python SDK ({@code clients/python}, package {@code scoria}) as a notebook uses it: installed offline
 * with Debian's pip into a venv, then Azure-style snippets (src/test/resources/pysdk) run against a real
 * {@code scoria serve} from the jar. Each snippet asserts what it gets and ends by printing a marker. The
 * snippets build on each other (deploy, then connection information, then keys, ...), hence the order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonSdkTest {

    /** Debian's interpreter, whose python3-requests and setuptools the package installs with, offline. */
    static final String PYTHON = "/usr/bin/python3";

    static final Path PACKAGE =
            Path.of("..", "clients", "python").toAbsolutePath().normalize();
    static final Path SNIPPETS = Path.of("src", "test", "resources", "pysdk").toAbsolutePath();
    static final Path RESOURCES = Path.of("src", "test", "resources").toAbsolutePath();

    @TempDir
    static Path work;

    static CliProcess.Server server;
    static String adminToken;
    static Path venvPython;

    @BeforeAll
    static void installThePackageAndStartAServer() throws Exception {
        // A copy, so that the build leaves nothing in the source tree.
        Path source = work.resolve("package");
        copyTree(PACKAGE, source);
        Path venv = work.resolve("venv");
        Result created = run(List.of(PYTHON, "-m", "venv", "--system-site-packages", venv.toString()), work, Map.of());
        assertThat(created.exitCode).as(created.output).isZero();
        venvPython = venv.resolve("bin").resolve("python");
        // Offline: no index, and the build uses the installed setuptools instead of downloading one.
        Result installed = run(
                List.of(
                        venvPython.toString(),
                        "-m",
                        "pip",
                        "install",
                        "--no-index",
                        "--no-build-isolation",
                        "-q",
                        source.toString()),
                work,
                Map.of());
        assertThat(installed.exitCode).as(installed.output).isZero();

        Path serverDir = Files.createDirectories(work.resolve("server"));
        server = new CliProcess.Server(serverDir);
        adminToken = Files.readString(serverDir.resolve("scoria-data/admin-token"), StandardCharsets.UTF_8)
                .trim();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(0)
    void unitTestsOfTheArgumentMapping() throws Exception {
        Result r = run(
                List.of(venvPython.toString(), "-m", "unittest", "discover", "-s", "tests", "-t", "."),
                PACKAGE,
                Map.of("PYTHONDONTWRITEBYTECODE", "1"));
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("OK");
    }

    @Test
    @Order(1)
    void registerDeployWaitAndRunTheOnnxModel() throws Exception {
        String out = snippet("deploy_onnx.py");
        assertThat(out)
                .contains("registered diabetes 1 diabetes:1 Onnx")
                .contains("Scoria service creation operation finished, operation \"Succeeded\"")
                .contains("Service myservice: Healthy")
                .contains("run [217.67978776218715, 224.78937091757172]")
                .contains("DEPLOYED");
    }

    @Test
    @Order(2)
    void connectionInformationKeysTokensAndListing() throws Exception {
        String out = snippet("connection_info.py");
        assertThat(out)
                .contains(server.baseUrl() + "/api/v1/service/myservice/score")
                .contains(server.baseUrl() + "/api/v1/service/myservice/swagger.json")
                .contains("CONNECTED");
    }

    @Test
    @Order(3)
    void regenerateKeys() throws Exception {
        assertThat(snippet("regen_key.py")).contains("REGENERATED");
    }

    @Test
    @Order(4)
    void deployEntryScriptsThenUpdateLogsAndDelete() throws Exception {
        String out = snippet("deploy_score_py.py");
        assertThat(out)
                .contains("Service linear: Healthy")
                .contains("scoring for ada")
                .contains("Service broken was not deployed: the entry script failed in init()")
                .contains("SCRIPTS DEPLOYED");
    }

    @Test
    @Order(5)
    void errorsCarryTheServersMessage() throws Exception {
        String out = snippet("errors.py");
        assertThat(out)
                .contains("WebserviceNotFound: Webservice with name nosuchservice not found in provided workspace:"
                        + " service 'nosuchservice' does not exist")
                .contains("ERRORS OK");
    }

    @Test
    @Order(6)
    void noCodeScikitLearnAServiceWithNoModelAndDeploymentsWithinAService() throws Exception {
        String out = snippet("sklearn_and_deployments.py");
        assertThat(out)
                .contains("registered diabetes-sklearn:1 ScikitLearn 1.2")
                .contains("Service sk-svc: Healthy")
                .contains("Deployment sk-svc/green: Healthy")
                .contains("DEPLOYMENTS OK");
    }

    private static String snippet(String name) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SCORIA_URL", server.baseUrl());
        env.put("SCORIA_TOKEN", adminToken);
        env.put("MODEL_ONNX", RESOURCES.resolve("diabetes-ridge.onnx").toString());
        env.put("MODEL_JSON", RESOURCES.resolve("diabetes-ridge.json").toString());
        env.put("SCRIPTS", RESOURCES.resolve("python").toString());
        env.put(
                "DIABETES_CSV",
                Path.of("..", "scripts", "diabetes.csv")
                        .toAbsolutePath()
                        .normalize()
                        .toString());
        env.put("PYTHON", PYTHON);
        Result r = run(List.of(venvPython.toString(), SNIPPETS.resolve(name).toString()), work, env);
        assertThat(r.exitCode).as(name + " failed:\n" + r.output).isZero();
        return r.output;
    }

    record Result(int exitCode, String output) {}

    private static Result run(List<String> command, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().remove("PYTHONPATH");
        pb.environment().remove("SCORIA_URL");
        pb.environment().remove("SCORIA_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println("--- " + String.join(" ", command) + "\n" + text);
        return new Result(p.exitValue(), text);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path relative = from.relativize(p);
                if (relative.toString().contains("__pycache__")
                        || relative.startsWith("build")
                        || relative.toString().contains(".egg-info")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
