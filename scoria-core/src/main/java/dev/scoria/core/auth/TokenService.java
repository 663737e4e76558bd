package dev.scoria.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.store.Store;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies the workspace's access tokens: ES256 JWTs, {@code iss} = the workspace,
 * {@code aud} = the service, with a {@code kid} so signing keys can rotate. Retired keys still
 * verify the tokens they signed until those expire; only the active key signs.
 */
public final class TokenService {

    private static final long LEEWAY_SECONDS = 30;
    private static final int CACHE_LIMIT = 10_000;

    private final Store store;
    private final TokenPolicy policy;
    private final Clock clock;
    private volatile String issuer;
    private volatile Map<String, ECKey> keys = Map.of();
    private volatile String activeKid;
    /** Tokens already verified: their signature need not be checked again; audience and expiry still are. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(List<String> audience, long expiresAt, long serviceCreated) {}

    /** The claim binding a token to one incarnation of its service, so a re-created namesake does not accept it. */
    static final String SERVICE_CREATED = "scoria_svc_created";

    public TokenService(Store store, TokenPolicy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    /** Loads the workspace's identity and keys, creating them at the first start. */
    public synchronized void start() {
        String workspaceId =
                store.putSettingIfAbsent("workspace_id", UUID.randomUUID().toString());
        issuer = "urn:scoria:workspace:" + workspaceId;
        reloadKeys();
        if (activeKid == null) {
            rotate();
        }
    }

    public String issuer() {
        return issuer;
    }

    public TokenPolicy policy() {
        return policy;
    }

    /** A token for {@code service}, bound to the incarnation created at {@code serviceCreated}. */
    public AccessToken issue(String service, Instant serviceCreated) {
        Instant now = clock.instant();
        Instant refreshAfter = now.plus(policy.refreshAfter());
        Instant expiry = refreshAfter.plus(policy.expiresAfterRefresh());
        ECKey key = keys.get(activeKid);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(service)
                .subject("service:" + service)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiry))
                .jwtID(UUID.randomUUID().toString())
                .claim(SERVICE_CREATED, serviceCreated.toEpochMilli())
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "could not sign an access token: " + e.getMessage(), e);
        }
        return new AccessToken(jwt.serialize(), refreshAfter.getEpochSecond(), expiry.getEpochSecond());
    }

    public TokenVerdict verify(String token, String service, Instant serviceCreated) {
        long now = clock.instant().getEpochSecond();
        Verified known = verified.get(token);
        if (known != null) {
            TokenVerdict verdict =
                    checkClaims(known.audience(), known.expiresAt(), Long.MIN_VALUE, issuer, service, now);
            return verdict == TokenVerdict.VALID && known.serviceCreated() != serviceCreated.toEpochMilli()
                    ? TokenVerdict.WRONG_AUDIENCE
                    : verdict;
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return TokenVerdict.MALFORMED;
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            return TokenVerdict.UNSUPPORTED_ALGORITHM;
        }
        ECKey key = jwt.getHeader().getKeyID() == null
                ? null
                : keys.get(jwt.getHeader().getKeyID());
        if (key == null) {
            return TokenVerdict.UNKNOWN_KEY;
        }
        try {
            if (!jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                return TokenVerdict.BAD_SIGNATURE;
            }
        } catch (JOSEException e) {
            return TokenVerdict.BAD_SIGNATURE;
        }
        if (claims.getExpirationTime() == null) {
            return TokenVerdict.MALFORMED;
        }
        long exp = claims.getExpirationTime().toInstant().getEpochSecond();
        long nbf = claims.getNotBeforeTime() == null
                ? Long.MIN_VALUE
                : claims.getNotBeforeTime().toInstant().getEpochSecond();
        // A JSON null among the audiences ("aud": [null, "svc"]) names no service: dropped, it cannot reach the
        // cache's List.copyOf (a NullPointerException, a 500, for a token this workspace really signed).
        List<String> audience =
                claims.getAudience().stream().filter(Objects::nonNull).toList();
        TokenVerdict verdict = checkClaims(audience, exp, nbf, claims.getIssuer(), service, now);
        Object created = claims.getClaim(SERVICE_CREATED);
        long bound = created instanceof Number n ? n.longValue() : Long.MIN_VALUE;
        if (verdict == TokenVerdict.VALID && bound != serviceCreated.toEpochMilli()) {
            // Same name, another incarnation: the token was issued for a service since deleted.
            return TokenVerdict.WRONG_AUDIENCE;
        }
        if (verdict == TokenVerdict.VALID) {
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(token, new Verified(audience, exp, bound));
        }
        return verdict;
    }

    private TokenVerdict checkClaims(
            List<String> audience, long exp, long nbf, String tokenIssuer, String service, long now) {
        if (!issuer.equals(tokenIssuer)) {
            return TokenVerdict.WRONG_ISSUER;
        }
        if (audience == null || !audience.contains(service)) {
            return TokenVerdict.WRONG_AUDIENCE;
        }
        if (now > exp + LEEWAY_SECONDS) {
            return TokenVerdict.EXPIRED;
        }
        if (nbf != Long.MIN_VALUE && now + LEEWAY_SECONDS < nbf) {
            return TokenVerdict.NOT_YET_VALID;
        }
        return TokenVerdict.VALID;
    }

    /**
     * Makes a new signing key the active one and deletes every older key, so that every token issued so
     * far stops working at once: the way to revoke outstanding tokens. Returns the new kid.
     */
    public synchronized String rotateAndRevoke() {
        String kid = rotate();
        store.deleteRetiredSigningKeys();
        verified.clear();
        reloadKeys();
        return kid;
    }

    /** Makes a new signing key the active one; the old one only verifies from now on. Returns the new kid. */
    public synchronized String rotate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build();
            String kid = jwk.computeThumbprint().toString();
            Base64.Encoder b64 = Base64.getEncoder();
            store.rotateSigningKey(
                    new SigningKeyRecord(
                            kid,
                            "ES256",
                            b64.encodeToString(pair.getPrivate().getEncoded()),
                            b64.encodeToString(pair.getPublic().getEncoded()),
                            clock.instant(),
                            null),
                    clock.instant());
            reloadKeys();
            return kid;
        } catch (GeneralSecurityException | JOSEException e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "could not create a signing key: " + e.getMessage(), e);
        }
    }

    /** The public keys, active and retired, as a JWK Set: what a third party needs to verify tokens. */
    public Map<String, Object> jwks() {
        List<JWK> list = new ArrayList<>(keys.values());
        return new JWKSet(list).toPublicJWKSet().toJSONObject(true);
    }

    public String activeKid() {
        return activeKid;
    }

    /**
     * Re-reads the signing keys (another replica may have rotated them). Tokens signed by a key that was
     * deleted stop verifying at once.
     */
    public synchronized void reload() {
        Map<String, ECKey> before = keys;
        reloadKeys();
        if (!keys.keySet().containsAll(before.keySet())) {
            verified.clear();
        }
    }

    private void reloadKeys() {
        Map<String, ECKey> loaded = new LinkedHashMap<>();
        String active = null;
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            Base64.Decoder b64 = Base64.getDecoder();
            for (SigningKeyRecord record : store.signingKeys()) {
                ECPublicKey publicKey =
                        (ECPublicKey) factory.generatePublic(new X509EncodedKeySpec(b64.decode(record.publicKey())));
                ECPrivateKey privateKey = (ECPrivateKey)
                        factory.generatePrivate(new PKCS8EncodedKeySpec(b64.decode(record.privateKey())));
                loaded.put(
                        record.kid(),
                        new ECKey.Builder(Curve.P_256, publicKey)
                                .privateKey(privateKey)
                                .keyID(record.kid())
                                .algorithm(JWSAlgorithm.ES256)
                                .keyUse(KeyUse.SIGNATURE)
                                .build());
                if (record.active()) {
                    active = record.kid();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ScoriaException(
                    ErrorKind.INTERNAL, "could not read the workspace's signing keys: " + e.getMessage(), e);
        }
        keys = Map.copyOf(loaded);
        activeKid = active;
    }
}
