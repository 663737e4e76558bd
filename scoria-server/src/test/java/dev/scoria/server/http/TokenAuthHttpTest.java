package dev.scoria.server.http;

import static dev.scoria.server.http.DataPlaneHttpTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.scoria.server.DemoService;
import dev.scoria.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token auth, signing-key rotation, JWKS and admin-token rotation over HTTP. */
class TokenAuthHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir);
        HttpResponse<String> deployed = t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"tokensvc\", \"models\": [\"diabetes:1\"], \"authMode\": \"token\"}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
        t.waitForOperation(deployed.headers().firstValue("Operation-Location").orElseThrow());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static JsonNode token(String service) throws Exception {
        HttpResponse<String> r = t.admin("POST", "/api/v1/services/" + service + "/token", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> score(String service, String credential) throws Exception {
        return t.send(t.request("/api/v1/service/" + service + "/score")
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                .build());
    }

    @Test
    void aTokenHasAzuresShapeAndOpensOnlyItsService() throws Exception {
        JsonNode token = token("tokensvc");
        long now = Instant.now().getEpochSecond();
        assertThat(token.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(token.get("refreshAfter").asLong()).isBetween(now + 3500, now + 3700);
        assertThat(token.get("expiryOn").asLong() - token.get("refreshAfter").asLong())
                .isEqualTo(12 * 3600);
        String access = token.get("accessToken").asText();
        assertThat(score("tokensvc", access).body()).isEqualTo(TestServer.EXPECTED);
        assertThat(errorOf(score("myservice", access), 401).get("message").asText())
                .isEqualTo("the key presented is not valid for service 'myservice'");
        String primary = JSON.readTree(t.admin("POST", "/api/v1/services/tokensvc/listkeys", null)
                        .body())
                .get("primaryKey")
                .asText();
        assertThat(errorOf(score("tokensvc", primary), 401).get("message").asText())
                .contains("not a signed JWT");
        assertThat(errorOf(t.admin("POST", "/api/v1/services/myservice/token", null), 400)
                        .get("message")
                        .asText())
                .contains("uses key auth: token auth is not enabled");
    }

    @Test
    void tokensVerifyAgainstThePublishedJwksAndSurviveASigningKeyRotation() throws Exception {
        String before = token("tokensvc").get("accessToken").asText();
        HttpResponse<String> jwksResponse =
                t.send(t.request("/api/v1/.well-known/jwks.json").GET().build());
        assertThat(jwksResponse.statusCode()).isEqualTo(200);
        JWKSet jwks = JWKSet.parse(jwksResponse.body());
        SignedJWT jwt = SignedJWT.parse(before);
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        JsonNode workspace =
                JSON.readTree(t.admin("GET", "/api/v1/workspace", null).body());
        assertThat(jwt.getJWTClaimsSet().getIssuer())
                .isEqualTo(workspace.get("issuer").asText());
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("tokensvc");

        JsonNode rotated = JSON.readTree(
                t.admin("POST", "/api/v1/workspace/rotate-signing-key", null).body());
        assertThat(rotated.get("retiredSigningKey").asText())
                .isEqualTo(jwt.getHeader().getKeyID());
        String after = token("tokensvc").get("accessToken").asText();
        assertThat(SignedJWT.parse(after).getHeader().getKeyID())
                .isEqualTo(rotated.get("activeSigningKey").asText());
        assertThat(score("tokensvc", before).statusCode()).isEqualTo(200);
        assertThat(score("tokensvc", after).statusCode()).isEqualTo(200);
        assertThat(JWKSet.parse(t.send(t.request("/api/v1/.well-known/jwks.json")
                                        .GET()
                                        .build())
                                .body())
                        .getKeys()
                        .size())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void revokingIssuedTokensAndRecreatingAServiceInvalidateOldTokens() throws Exception {
        t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"revocable\", \"models\": [\"diabetes:1\"], \"authMode\": \"token\"}");
        t.waitForService("revocable");
        String first = token("revocable").get("accessToken").asText();
        assertThat(score("revocable", first).statusCode()).isEqualTo(200);
        // A value that is not true or false is refused, not read as "do not revoke".
        assertThat(errorOf(t.admin("POST", "/api/v1/workspace/rotate-signing-key?revoke=yes", null), 400)
                        .get("message")
                        .asText())
                .isEqualTo("query parameter 'revoke' must be true or false, saw 'yes'");
        assertThat(score("revocable", first).statusCode()).isEqualTo(200);
        assertThat(t.admin("POST", "/api/v1/workspace/rotate-signing-key?revoke=true", null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(errorOf(score("revocable", first), 401).get("message").asText())
                .contains("key this workspace does not have");
        assertThat(JWKSet.parse(t.send(t.request("/api/v1/.well-known/jwks.json")
                                        .GET()
                                        .build())
                                .body())
                        .getKeys())
                .hasSize(1);

        String second = token("revocable").get("accessToken").asText();
        assertThat(score("revocable", second).statusCode()).isEqualTo(200);
        assertThat(t.admin("DELETE", "/api/v1/services/revocable", null).statusCode())
                .isEqualTo(200);
        t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"revocable\", \"models\": [\"diabetes:1\"], \"authMode\": \"token\"}");
        t.waitForService("revocable");
        assertThat(errorOf(score("revocable", second), 401).get("message").asText())
                .contains("issued for another service");
        assertThat(score("revocable", token("revocable").get("accessToken").asText())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void switchingAServiceFromTokenToKeyAuthTakesEffectAtOnce() throws Exception {
        t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"switcher\", \"models\": [\"diabetes:1\"], \"authMode\": \"token\"}");
        t.waitForService("switcher");
        String access = token("switcher").get("accessToken").asText();
        assertThat(score("switcher", access).statusCode()).isEqualTo(200);
        assertThat(t.admin("PATCH", "/api/v1/services/switcher", "{\"authMode\": \"key\"}")
                        .statusCode())
                .isEqualTo(200);
        String primary = JSON.readTree(t.admin("POST", "/api/v1/services/switcher/listkeys", null)
                        .body())
                .get("primaryKey")
                .asText();
        assertThat(score("switcher", access).statusCode()).isEqualTo(401);
        assertThat(score("switcher", primary).statusCode()).isEqualTo(200);
        assertThat(t.admin("PATCH", "/api/v1/services/switcher", "{\"authMode\": \"none\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(t.send(t.request("/api/v1/service/switcher/score")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                                .build())
                        .statusCode())
                .isEqualTo(200);
        assertThat(errorOf(
                                t.admin(
                                        "PATCH",
                                        "/api/v1/services/switcher",
                                        "{\"authEnabled\": true, \"tokenAuthEnabled\": true}"),
                                400)
                        .get("message")
                        .asText())
                .contains("cannot both be true");
    }

    @Test
    void theAdminTokenRotatesAndTheOldOneStopsWorking() throws Exception {
        String old = t.server.adminToken();
        HttpResponse<String> r = t.admin("POST", "/api/v1/workspace/rotate-admin-token", null);
        String fresh = JSON.readTree(r.body()).get("adminToken").asText();
        assertThat(fresh).isNotEqualTo(old).isEqualTo(t.server.adminToken());
        assertThat(Files.readString(dir.resolve("admin-token")).trim()).isEqualTo(fresh);
        assertThat(Files.getPosixFilePermissions(dir.resolve("admin-token")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        errorOf(
                t.send(t.request("/api/v1/services")
                        .header("Authorization", "Bearer " + old)
                        .GET()
                        .build()),
                401);
        assertThat(t.admin("GET", "/api/v1/services", null).statusCode()).isEqualTo(200);
    }
}
