package dev.scoria.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import dev.scoria.core.auth.Secrets;
import dev.scoria.core.auth.SigningKeyRecord;
import dev.scoria.core.auth.TokenPolicy;
import dev.scoria.core.auth.TokenService;
import dev.scoria.core.auth.TokenVerdict;
import dev.scoria.core.store.Store;
import dev.scoria.store.sql.SqlStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Bearer tokens as the data plane receives them: the {@code Authorization} header's parsing and the
 * access token's verification never throw, whatever the bytes; and a token is VALID only when its claims
 * truly say so (this workspace's issuer, the service among its audiences, not expired, the service's
 * incarnation). The input's first character picks the shape:
 * <ul>
 *   <li>{@code r}: the rest is an Authorization header value (a raw token after "Bearer ");
 *   <li>{@code s}: the rest is {@code <JOSE header JSON>\n<claims JSON>}, signed here with the workspace's
 *       real key so that verification goes past the signature into the claims. {@code $KID} and
 *       {@code $ISS} in it stand for this run's key id and issuer (both random per store).
 * </ul>
 */
class TokenVerificationFuzzTest {

    private static final String SERVICE = "svc";
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant CREATED = Instant.parse("2026-05-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private static final TokenService TOKENS;
    private static final SigningKeyRecord KEY;
    private static final PrivateKey PRIVATE_KEY;

    static {
        try {
            // The real store, on SQLite in a folder of its own, as the server keeps its signing keys.
            Path folder = Files.createTempDirectory("scoria-token-fuzz");
            Store keys = SqlStore.openSqlite(folder.resolve("scoria.db"));
            TOKENS = new TokenService(keys, TokenPolicy.DEFAULT, Clock.fixed(NOW, ZoneOffset.UTC));
            TOKENS.start();
            KEY = keys.signingKeys().stream()
                    .filter(SigningKeyRecord::active)
                    .findFirst()
                    .orElseThrow();
            PRIVATE_KEY = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(KEY.privateKey())));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void verifiesWithoutThrowingAndOnlyTrueClaims(byte[] input) throws GeneralSecurityException, JOSEException {
        if (input.length == 0) {
            return;
        }
        String rest = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        String token;
        String claims = null;
        if (input[0] == 's') {
            int newline = rest.indexOf('\n');
            String header = (newline < 0 ? rest : rest.substring(0, newline)).replace("$KID", KEY.kid());
            claims = (newline < 0 ? "" : rest.substring(newline + 1)).replace("$ISS", TOKENS.issuer());
            token = sign(header, claims);
        } else {
            token = Secrets.bearer("Bearer " + rest);
            String parsed = Secrets.bearer(rest);
            assertThat(parsed == null || !parsed.isEmpty() && parsed.equals(parsed.trim()))
                    .as("bearer value of %s", rest)
                    .isTrue();
            if (token == null) {
                return;
            }
        }
        TokenVerdict verdict = TOKENS.verify(token, SERVICE, CREATED);
        assertThat(TOKENS.verify(token, SERVICE, CREATED))
                .as("verified again (from the cache)")
                .isEqualTo(verdict);
        if (verdict == TokenVerdict.VALID) {
            assertThat(claims).as("a VALID token not signed here").isNotNull();
            assertTrulyValid(claims);
        }
    }

    private static String sign(String header, String claims) throws GeneralSecurityException, JOSEException {
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(PRIVATE_KEY);
        ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        byte[] signature = ECDSA.transcodeSignatureToConcat(ecdsa.sign(), 64);
        return signingInput + "." + B64URL.encodeToString(signature);
    }

    private static void assertTrulyValid(String claimsJson) {
        JsonNode claims;
        try {
            claims = JSON.readTree(claimsJson);
        } catch (IOException e) {
            throw new AssertionError("VALID claims that are not JSON: " + claimsJson, e);
        }
        assertThat(claims.path("iss").asText()).isEqualTo(TOKENS.issuer());
        JsonNode aud = claims.path("aud");
        boolean forService = aud.isTextual()
                ? aud.textValue().equals(SERVICE)
                : aud.isArray()
                        && aud.valueStream()
                                .anyMatch(a -> a.isTextual() && a.textValue().equals(SERVICE));
        assertThat(forService).as("audience %s", aud).isTrue();
        assertThat(claims.path("exp").isNumber()).isTrue();
        assertThat(claims.path("exp").asDouble()).isGreaterThanOrEqualTo(NOW.getEpochSecond() - 30.0);
        assertThat(claims.path("scoria_svc_created").isNumber()).isTrue();
        assertThat(claims.path("scoria_svc_created").asLong()).isEqualTo(CREATED.toEpochMilli());
    }
}
