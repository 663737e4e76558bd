package dev.scoria.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * Tokens the server never issued, built the way an attacker (or a clock) would produce them. Written
 * against the JWT format, not against the server's classes, so a bug in the server's token code cannot
 * hide itself by being reused here.
 */
final class AuthMatrixJwt {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private AuthMatrixJwt() {}

    /** A workspace signing key as the store keeps it; {@code privateKeyBase64} is kept to check it never leaks. */
    record StoredKey(String kid, boolean active, String privateKeyBase64, ECPrivateKey privateKey) {}

    /**
     * Every signing key in the store. Read-only: the server has the database open in WAL mode and the
     * test must not be able to change what it reads.
     */
    static List<StoredKey> signingKeys(Path db) throws Exception {
        if (!Files.isRegularFile(db)) {
            throw new AssertionError("no store at " + db);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        List<StoredKey> keys = new ArrayList<>();
        KeyFactory ec = KeyFactory.getInstance("EC");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath(), config.toProperties());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT kid, algorithm, private_key, retired_at FROM signing_keys")) {
            while (rs.next()) {
                if (!"ES256".equals(rs.getString("algorithm"))) {
                    throw new AssertionError("signing key " + rs.getString("kid") + " is " + rs.getString("algorithm")
                            + ", the token contract says ES256");
                }
                String pkcs8 = rs.getString("private_key");
                rs.getLong("retired_at");
                boolean active = rs.wasNull();
                ECPrivateKey key = (ECPrivateKey) ec.generatePrivate(
                        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
                keys.add(new StoredKey(rs.getString("kid"), active, pkcs8, key));
            }
        }
        return keys;
    }

    /**
     * The claims the server puts in the tokens it issues (TokenService.issue), with a chosen lifetime,
     * including the binding to the service's incarnation (its creation time in epoch milliseconds).
     */
    static JWTClaimsSet claims(
            String issuer, String service, long serviceCreatedMillis, Instant notBefore, Instant expiry) {
        return new JWTClaimsSet.Builder()
                .claim("scoria_svc_created", serviceCreatedMillis)
                .issuer(issuer)
                .audience(service)
                .subject("service:" + service)
                .issueTime(Date.from(notBefore))
                .notBeforeTime(Date.from(notBefore))
                .expirationTime(Date.from(expiry))
                .jwtID(UUID.randomUUID().toString())
                .build();
    }

    static String sign(JWTClaimsSet claims, ECPrivateKey key, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID(kid)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** {@code header.payload.} with {@code alg: none}: the classic downgrade a verifier must refuse. */
    static String unsigned(JWTClaimsSet claims) throws Exception {
        String header = B64URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64URL.encodeToString(JSON.writeValueAsBytes(claims.toJSONObject()));
        return header + "." + payload + ".";
    }

    /** A P-256 key the workspace never had. */
    static ECPrivateKey foreignKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return (ECPrivateKey) generator.generateKeyPair().getPrivate();
    }

    /**
     * The same token with one character of its decoded payload changed (inside {@code jti}), header and
     * signature kept. The result still parses as a JWT with the same claims shape, so only the signature
     * check can reject it; a byte flipped at random would mostly produce unparsable JSON and exercise the
     * parser instead.
     */
    static String tamperPayload(String token) throws Exception {
        String[] parts = token.split("\\.", -1);
        String payload = new String(B64URL_DECODER.decode(parts[1]), StandardCharsets.UTF_8);
        Matcher jti = Pattern.compile("\"jti\"\\s*:\\s*\"").matcher(payload);
        if (!jti.find()) {
            throw new AssertionError("token has no jti to tamper with: " + payload);
        }
        int at = jti.end();
        char original = payload.charAt(at);
        char replacement = original == 'a' ? 'b' : 'a';
        String changed = payload.substring(0, at) + replacement + payload.substring(at + 1);
        String tampered =
                parts[0] + "." + B64URL.encodeToString(changed.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        SignedJWT parsed = SignedJWT.parse(tampered);
        if (parsed.getJWTClaimsSet().getExpirationTime() == null || tampered.equals(token)) {
            throw new AssertionError(
                    "tampering produced a token that would be refused for another reason: " + tampered);
        }
        return tampered;
    }

    static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    /** The signature part: what would still identify the token if a log printed only its tail. */
    static String signature(String token) {
        String[] parts = token.split("\\.", -1);
        return parts.length == 3 ? parts[2] : "";
    }
}
