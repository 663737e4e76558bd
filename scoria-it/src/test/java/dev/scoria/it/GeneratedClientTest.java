package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openapitools.codegen.ClientOptInput;
import org.openapitools.codegen.CodegenConstants;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;

/**
 * A client generated from a service's swagger document, as a user makes one with openapi-generator (the
 * successor of the swagger-codegen that Azure ML's documentation points to): the {@code java} generator with
 * its {@code native} library (JDK HTTP client and Jackson), run on the demo service's {@code swagger.json}
 * as the server serves it; the generated sources compile, and the generated API scores the documentation's
 * two rows with the service's key.
 */
class GeneratedClientTest {

    static final String PACKAGE = "dev.scoria.generated";

    /**
     * What a user writes around the generated client: the key goes in as {@code Authorization: Bearer}
     * (the native library leaves API keys to a request interceptor), the rows as the generated input model.
     */
    static final String DRIVER = """
            package dev.scoria.generated;

            import dev.scoria.generated.api.DefaultApi;
            import dev.scoria.generated.model.ServiceInput;
            import java.util.List;
            import java.util.function.BiFunction;

            /** Calls the health check, then scores the rows; gives both answers. */
            public final class Driver implements BiFunction<String, List<List<Double>>, Object> {
                @Override
                public Object apply(String key, List<List<Double>> rows) {
                    ApiClient client = new ApiClient();
                    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
                    ServiceInput input = new ServiceInput();
                    input.setData(rows);
                    try {
                        DefaultApi api = new DefaultApi(client);
                        String health = api.serviceHealthCheck();
                        List<Double> prediction = api.runMLService(input);
                        return List.of(health, prediction);
                    } catch (ApiException e) {
                        throw new IllegalStateException(e.getCode() + " " + e.getResponseBody(), e);
                    }
                }
            }
            """;

    @TempDir
    static Path dir;

    static ScoriaServer server;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        server = ScoriaServer.start(
                ServerConfig.builder().port(0).dataDir(dir.resolve("data")).build());
        key = DemoService.ensure(server, 30_000).keys().primary();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Swagger 2.0 (what Azure serves, the default) and OpenAPI 3.0.3 ({@code ?version=3}). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"swagger.json", "swagger.json?version=3"})
    void aJavaClientGeneratedFromTheSwaggerDocumentCompilesAndScores(String document) throws Exception {
        Path work = Files.createDirectories(dir.resolve(document.replaceAll("\\W", "-")));
        Path spec = work.resolve("swagger.json");
        Files.writeString(spec, fetch(server.baseUrl() + "/api/v1/service/myservice/" + document));

        Path generated = work.resolve("client");
        generate(spec, generated);
        Path sources = generated.resolve("src/main/java");
        Files.writeString(sources.resolve("dev/scoria/generated/Driver.java"), DRIVER);

        Path classes = work.resolve("classes");
        compile(sources, classes);

        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {classes.toUri().toURL()}, GeneratedClientTest.class.getClassLoader())) {
            @SuppressWarnings("unchecked")
            BiFunction<String, List<List<Double>>, Object> driver =
                    (BiFunction<String, List<List<Double>>, Object>) loader.loadClass(PACKAGE + ".Driver")
                            .getDeclaredConstructor()
                            .newInstance();
            List<?> answers = (List<?>) driver.apply(key, rows());
            assertThat(answers.get(0)).isEqualTo("Healthy");
            assertThat(answers.get(1)).isInstanceOf(List.class);
            assertThat(((List<?>) answers.get(1)).stream().map(Object::toString))
                    .containsExactly("217.67978776218715", "224.78937091757172");
        }
    }

    record DemoRequest(List<List<Double>> data) {}

    /** The documentation's two rows, read from the demo's request file. */
    static List<List<Double>> rows() throws IOException {
        return new ObjectMapper()
                .readValue(DemoService.sampleRequest(), DemoRequest.class)
                .data();
    }

    static String fetch(String uri) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** Runs openapi-generator as its CLI's {@code generate -g java --library native} would, sources only. */
    static void generate(Path spec, Path out) {
        CodegenConfigurator config = new CodegenConfigurator()
                .setGeneratorName("java")
                .setLibrary("native")
                .setInputSpec(spec.toString())
                .setOutputDir(out.toString())
                .setInvokerPackage(PACKAGE)
                .setApiPackage(PACKAGE + ".api")
                .setModelPackage(PACKAGE + ".model")
                .setValidateSpec(true)
                .addAdditionalProperty("useJakartaEe", true)
                .addAdditionalProperty(CodegenConstants.HIDE_GENERATION_TIMESTAMP, true);
        ClientOptInput input = config.toClientOptInput();
        DefaultGenerator generator = new DefaultGenerator();
        generator.setGeneratorPropertyDefault(CodegenConstants.API_TESTS, "false");
        generator.setGeneratorPropertyDefault(CodegenConstants.MODEL_TESTS, "false");
        generator.setGeneratorPropertyDefault(CodegenConstants.API_DOCS, "false");
        generator.setGeneratorPropertyDefault(CodegenConstants.MODEL_DOCS, "false");
        List<File> files = generator.opts(input).generate();
        assertThat(files).isNotEmpty();
    }

    /** Compiles every generated source against the test class path (Jackson, jsr305, jakarta.annotation). */
    static void compile(Path sources, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Files.createDirectories(classes);
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
                Stream<Path> walk = Files.walk(sources)) {
            List<Path> java = walk.filter(p -> p.toString().endsWith(".java")).toList();
            StringWriter log = new StringWriter();
            boolean ok = javac.getTask(
                            log,
                            files,
                            diagnostics,
                            List.of(
                                    "-d",
                                    classes.toString(),
                                    "-classpath",
                                    System.getProperty("java.class.path"),
                                    "-proc:none",
                                    "-nowarn"),
                            null,
                            files.getJavaFileObjectsFromPaths(java))
                    .call();
            assertThat(ok)
                    .as("the generated client does not compile:\n" + log + diagnostics.getDiagnostics())
                    .isTrue();
        }
    }
}
