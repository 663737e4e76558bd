package dev.scoria.core.access;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.auth.AdminToken;
import dev.scoria.core.auth.SecretGenerator;
import dev.scoria.core.auth.Secrets;
import dev.scoria.core.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates, checks, lists and revokes access tokens. A token is {@code scoria_<id>_<secret>}: the id
 * finds its row, the secret (32 random bytes) is compared by its sha256, the only form the store
 * keeps. Every check reads the row, so a revoke or an expiry takes effect at once on every replica.
 */
public final class AccessTokens {

    public static final String PREFIX = "scoria_";

    private static final Pattern ID = Pattern.compile("[a-z0-9]{12}");
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final Clock clock;

    public AccessTokens(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Whether {@code presented} has the form of an access token (so it is not the admin token). */
    public static boolean looksLikeAccessToken(String presented) {
        return presented != null && presented.startsWith(PREFIX);
    }

    /** The id part of a token that has the form of one, else empty; the id is no secret. */
    public static Optional<String> idOf(String presented) {
        if (!looksLikeAccessToken(presented)) {
            return Optional.empty();
        }
        String rest = presented.substring(PREFIX.length());
        int cut = rest.indexOf('_');
        return cut > 0 && ID.matcher(rest.substring(0, cut)).matches()
                ? Optional.of(rest.substring(0, cut))
                : Optional.empty();
    }

    public IssuedToken create(
            Role role, ServicePatterns services, Optional<Duration> lifetime, String description, Caller creator) {
        if (!services.all() && !role.scopable()) {
            throw ScoriaException.badInput("field 'services' limits deployer and keys tokens only; a " + role.wireName()
                    + " token " + (role == Role.ADMIN ? "reaches everything" : "reads everything"));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (int attempt = 0; ; attempt++) {
            String id = newId();
            String secret = SecretGenerator.newSecret();
            AccessCredential credential = new AccessCredential(
                    id,
                    role,
                    services,
                    description == null ? "" : description,
                    now,
                    lifetime.map(now::plus).orElse(null),
                    null,
                    creator.credentialId(),
                    AdminToken.sha256(secret));
            if (store.insertCredential(credential)) {
                return new IssuedToken(credential, PREFIX + id + "_" + secret);
            }
            if (attempt > 5) {
                throw new IllegalStateException("could not find a free access-token id");
            }
        }
    }

    /** The caller this token stands for, or a 401 saying why not (unknown, revoked, expired, wrong secret). */
    public Caller authenticate(String presented) {
        String id = idOf(presented)
                .orElseThrow(() -> unauthorized("the token presented is not an access token of the form"
                        + " scoria_<id>_<secret>, nor the admin token"));
        String secret = presented.substring(PREFIX.length() + id.length() + 1);
        Optional<AccessCredential> found = store.findCredential(id);
        if (found.isEmpty()
                || !Secrets.matches(AdminToken.sha256(secret), found.get().secretSha256())) {
            throw unauthorized("access token " + id + " is not valid for this workspace");
        }
        AccessCredential c = found.get();
        if (c.revoked()) {
            throw unauthorized("access token " + id + " was revoked at " + c.revokedTime());
        }
        Instant now = clock.instant();
        if (c.expired(now)) {
            throw unauthorized("access token " + id + " expired at " + c.expiresTime());
        }
        return new Caller(c.id(), c.role(), c.services());
    }

    public List<AccessCredential> list() {
        return store.listCredentials();
    }

    /** Revokes the token (it stops working at once, here and on every replica); NOT_FOUND for an unknown id. */
    public AccessCredential revoke(String id) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.revokeCredential(id, now);
        return store.findCredential(id)
                .orElseThrow(() -> ScoriaException.notFound("access token '" + id + "' does not exist"));
    }

    private static ScoriaException unauthorized(String message) {
        return new ScoriaException(ErrorKind.UNAUTHORIZED, message);
    }

    private static String newId() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }
}
