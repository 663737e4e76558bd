package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** Which requests the scoring fast path may take, and which it must leave to the router. */
class DirectScoringTest {

    @Test
    void namesTheScoringRoutesOfBothProtocols() {
        assertThat(DirectScoring.Target.of("/api/v1/service/my-service_2/score"))
                .isEqualTo(new DirectScoring.Target(true, "my-service_2", null));
        assertThat(DirectScoring.Target.of("/v2/models/myservice/infer"))
                .isEqualTo(new DirectScoring.Target(false, "myservice", null));
        assertThat(DirectScoring.Target.of("/v2/models/myservice/versions/3/infer"))
                .isEqualTo(new DirectScoring.Target(false, "myservice", "3"));
    }

    @Test
    void leavesToTheRouterAnyPathItWouldNormaliseOrThatIsNotScoring() {
        for (String path : new String[] {
            "/api/v1/service//score",
            "/api/v1/service/a/b/score",
            "/api/v1/service/my%2Dservice/score",
            "/api/v1/service/../score",
            "/api/v1/service/my.service/score",
            "/api/v1/service/myservice/score/",
            "/api/v1/service/myservice/swagger.json",
            "/api/v1/services/myservice",
            "/v2/models//infer",
            "/v2/models/myservice/versions//infer",
            "/v2/models/myservice/versions/1.0/infer",
            "/v2/models/a/b/infer",
            "/v2/models/myservice",
            "/",
        }) {
            assertThat(DirectScoring.Target.of(path)).as(path).isNull();
        }
    }

    @Test
    void takesOnlyABodySentWholeWithItsLengthDeclared() {
        assertThat(DirectScoring.plainBodyLength(headers("Content-Length", "123")))
                .isEqualTo(123);
        assertThat(DirectScoring.plainBodyLength(headers("Content-Length", "0")))
                .isZero();
        assertThat(DirectScoring.plainBodyLength(headers())).isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(headers("Content-Length", "12a")))
                .isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(headers("Content-Length", "-1")))
                .isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(headers("Content-Length", "99999999999999999999")))
                .isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(headers("Transfer-Encoding", "chunked")))
                .isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(headers("Content-Length", "5", "Expect", "100-continue")))
                .isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(headers("Content-Length", "5", "Origin", "https://a.example")))
                .isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(
                        headers("Content-Length", "5", "Content-Type", "multipart/form-data; boundary=x")))
                .isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(
                        headers("Content-Length", "5", "Content-Type", "application/x-www-form-urlencoded")))
                .isEqualTo(-1);
        assertThat(DirectScoring.plainBodyLength(headers("Content-Length", "5", "Content-Type", "application/json")))
                .isEqualTo(5);
    }

    private static MultiMap headers(String... pairs) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.add(pairs[i], pairs[i + 1]);
        }
        return headers;
    }
}
