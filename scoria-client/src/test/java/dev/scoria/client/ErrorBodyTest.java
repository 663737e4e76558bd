package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

    @Test
    void takesTheMessageOfScoriasErrorBody() {
        assertThat(ErrorBody.message("{\"status_code\": 400, \"message\": \"data[0] has 3 values\"}"))
                .isEqualTo("data[0] has 3 values");
    }

    @Test
    void takesTheMessageOfAnAzureStyleErrorObject() {
        assertThat(ErrorBody.message("{\"error\": {\"code\": \"X\", \"message\": \"nope\"}}"))
                .isEqualTo("nope");
    }

    @Test
    void passesOnTextFromAProxyShortenedToOneLine() {
        assertThat(ErrorBody.message("<html>\n  <body>Bad Gateway</body>\n</html>"))
                .isEqualTo("<html> <body>Bad Gateway</body> </html>");
        assertThat(ErrorBody.message("x".repeat(1000))).hasSize(301).endsWith("…");
    }

    @Test
    void jsonWithoutAMessageOrBrokenJsonIsShownAsText() {
        assertThat(ErrorBody.message("{\"status_code\": 500}")).isEqualTo("{\"status_code\": 500}");
        assertThat(ErrorBody.message("{not json")).isEqualTo("{not json");
    }

    @Test
    void anEmptyBodyHasNoMessage() {
        assertThat(ErrorBody.message("")).isNull();
        assertThat(ErrorBody.message(null)).isNull();
    }

    @Test
    void aFailedAnswerBecomesAnExceptionWithStatusAndServerMessage() {
        var response = new Transport.Response(
                409,
                "{\"status_code\":409,\"message\":\"service 'a' exists\"}",
                HttpHeaders.of(Map.of(), (a, b) -> true));
        WebserviceException e = Transport.failure(response, "deploying service 'a'");
        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.serverMessage()).isEqualTo("service 'a' exists");
        assertThat(e).hasMessage("deploying service 'a' failed (HTTP 409): service 'a' exists");
    }
}
