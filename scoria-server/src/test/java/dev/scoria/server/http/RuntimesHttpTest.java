package dev.scoria.server.http;

import static dev.scoria.server.http.DataPlaneHttpTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/runtimes}: the runtimes found on the server's class path, as a client picks among them. */
class RuntimesHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void listsEveryRuntimeModuleOnTheClassPathWithWhatItTakes() throws Exception {
        HttpResponse<String> r = t.admin("GET", "/api/v1/runtimes", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode value = JSON.readTree(r.body()).path("value");
        assertThat(value.findValuesAsText("name")).containsExactly("java", "onnx", "python");

        JsonNode java = value.get(0);
        assertThat(java.fieldNames())
                .toIterable()
                .containsExactly(
                        "name", "description", "takesCode", "codeExtensions", "modelExtensions", "modelFrameworks");
        assertThat(java.path("takesCode").asBoolean()).isTrue();
        assertThat(java.path("codeExtensions").toString()).isEqualTo("[\".jar\"]");
        assertThat(java.path("modelExtensions").toString()).isEqualTo("[]");
        assertThat(java.path("modelFrameworks").toString()).isEqualTo("[]");
        assertThat(java.path("description").asText()).contains("JAR");

        JsonNode onnx = value.get(1);
        assertThat(onnx.path("takesCode").asBoolean()).isFalse();
        assertThat(onnx.path("codeExtensions").toString()).isEqualTo("[]");
        assertThat(onnx.path("modelExtensions").toString()).isEqualTo("[\".onnx\"]");

        JsonNode python = value.get(2);
        assertThat(python.path("takesCode").asBoolean()).isTrue();
        assertThat(python.path("codeExtensions").toString()).isEqualTo("[\".py\",\".zip\"]");
        // scikit-learn models need no code: the python runtime serves them with its built-in entry script.
        assertThat(python.path("modelFrameworks").toString()).isEqualTo("[\"ScikitLearn\"]");
    }

    @Test
    void onlyTheAdminTokenOpensIt() throws Exception {
        errorOf(t.send(t.request("/api/v1/runtimes").GET().build()), 401);
        errorOf(
                t.send(t.request("/api/v1/runtimes")
                        .header("Authorization", "Bearer " + t.primaryKey())
                        .GET()
                        .build()),
                401);
        errorOf(t.admin("POST", "/api/v1/runtimes", "{}"), 405);
    }
}
