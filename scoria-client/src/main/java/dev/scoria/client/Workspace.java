package dev.scoria.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A connection to one Scoria installation (its server URL and admin token), the starting point of
 * every SDK call, like Azure ML's {@code Workspace}.
 *
 * <p>Immutable and thread-safe. It holds one {@link HttpClient} that every {@link Model} and
 * {@link Webservice} obtained through it shares, so create one workspace and reuse it. Redirects are
 * not followed, so the admin token is only ever sent to the URL given here.
 */
public final class Workspace {

    /** Where {@link #fromEnvironment()} connects when {@code SCORIA_URL} is not set. */
    public static final String DEFAULT_URL = "http://127.0.0.1:5001";

    private final URI url;
    private final Transport transport;

    private Workspace(URI url, Transport transport) {
        this.url = url;
        this.transport = transport;
    }

    /**
     * Connects to the server at {@code url} (for example {@code http://127.0.0.1:5001}) with the
     * workspace's admin token (in {@code <data-dir>/admin-token} on the server), or with an access token
     * ({@link #createAccessToken}), which allows the calls its role allows (others throw with status 403).
     * Does not call the server: a wrong URL or token shows up on the first call.
     */
    public static Workspace connect(String url, String adminToken) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "server URL '" + url + "' is not an http:// or https:// URL with a host", e);
        }
        return connect(uri, adminToken);
    }

    /** Connects to the server at {@code url}; see {@link #connect(String, String)}. */
    public static Workspace connect(URI url, String adminToken) {
        return connect(url, adminToken, null);
    }

    /**
     * Connects over HTTPS trusting {@code sslContext} (for example one that trusts a server's self-signed
     * certificate); null uses the JVM's default trust.
     */
    public static Workspace connect(URI url, String adminToken, SSLContext sslContext) {
        Objects.requireNonNull(url, "url");
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException(
                    "an admin token is required: it is in <data-dir>/admin-token on the server");
        }
        String scheme = url.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException(
                    "server URL '" + url + "' is not an http:// or https:// URL with a host");
        }
        URI base = URI.create(url.toString().replaceAll("/+$", ""));
        HttpClient.Builder builder = HttpClient.newBuilder()
                // HTTP/1.1 explicitly: the JDK would otherwise try an h2c upgrade on every plain-http request.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        HttpClient http = builder.build();
        return new Workspace(base, new Transport(http, base, adminToken.strip()));
    }

    /**
     * Connects as the CLI does: URL from {@code SCORIA_URL} (default {@value #DEFAULT_URL}), admin token
     * from {@code SCORIA_TOKEN}, else from {@code scoria-data/admin-token} in the working directory (where
     * {@code scoria serve} keeps it by default).
     *
     * @throws IllegalStateException if no token can be found
     */
    public static Workspace fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of("scoria-data", "admin-token"));
    }

    static Workspace fromEnvironment(Map<String, String> env, Path defaultTokenFile) {
        String url = env.getOrDefault("SCORIA_URL", "");
        String token = env.getOrDefault("SCORIA_TOKEN", "");
        if (token.isBlank() && Files.isRegularFile(defaultTokenFile)) {
            try {
                token = Files.readString(defaultTokenFile, StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "could not read the admin token from " + defaultTokenFile.toAbsolutePath(), e);
            }
        }
        if (token.isBlank()) {
            throw new IllegalStateException(
                    "no admin token: set SCORIA_TOKEN (the server keeps it in <data-dir>/admin-token)");
        }
        return connect(url.isBlank() ? DEFAULT_URL : url, token);
    }

    /** The server's base URL, without a trailing slash. */
    public URI url() {
        return url;
    }

    /** The workspace's token issuer, active signing key, JWKS URI and token lifetimes. */
    public WorkspaceInfo info() {
        String what = "getting the workspace";
        var json = Json.parse(
                Transport.requireOk(transport.get("/api/v1/workspace", what), what)
                        .body(),
                what);
        return new WorkspaceInfo(
                Json.text(json, "issuer"),
                Json.text(json, "activeSigningKey"),
                URI.create(Json.required(json, "jwksUri").asText()),
                json.path("tokenRefreshAfterSeconds").asLong(),
                json.path("tokenLifetimeSeconds").asLong());
    }

    /** The replicas sharing this workspace: every {@code scoria serve} that has reported itself, live or not. */
    public List<Replica> replicas() {
        String what = "listing the replicas";
        var json = Json.parse(
                Transport.requireOk(transport.get("/api/v1/replicas", what), what)
                        .body(),
                what);
        List<Replica> replicas = new ArrayList<>();
        for (var r : json.path("value")) {
            replicas.add(new Replica(
                    Json.text(r, "id"),
                    Json.text(r, "address"),
                    Json.text(r, "version"),
                    Instant.parse(Json.required(r, "startedTime").asText()),
                    Instant.parse(Json.required(r, "lastHeartbeat").asText()),
                    r.path("live").asBoolean()));
        }
        return List.copyOf(replicas);
    }

    /**
     * The runtimes the server offers, by name, with the code files each takes and the model files each serves
     * with no code: what to give {@link InferenceConfig.Builder#runtime(String)}.
     */
    public List<RuntimeInfo> runtimes() {
        String what = "listing the runtimes";
        var json = Json.parse(
                Transport.requireOk(transport.get("/api/v1/runtimes", what), what)
                        .body(),
                what);
        List<RuntimeInfo> runtimes = new ArrayList<>();
        for (var r : json.path("value")) {
            runtimes.add(new RuntimeInfo(
                    Json.required(r, "name").asText(),
                    Json.text(r, "description"),
                    r.path("takesCode").asBoolean(),
                    Json.texts(r, "codeExtensions"),
                    Json.texts(r, "modelExtensions"),
                    Json.texts(r, "modelFrameworks")));
        }
        return List.copyOf(runtimes);
    }

    /**
     * Replaces the admin token and returns the new one. The old token, which this handle holds, stops
     * working at once: connect again with the new one.
     */
    public String rotateAdminToken() {
        String what = "rotating the admin token";
        var json = Json.parse(
                Transport.requireOk(
                                transport.sendJson("POST", "/api/v1/workspace/rotate-admin-token", null, what), what)
                        .body(),
                what);
        return Json.required(json, "adminToken").asText();
    }

    /** Signs new access tokens with a new key (returned: its kid); tokens signed before stay valid until they expire. */
    public String rotateSigningKey() {
        return rotateSigningKey(false);
    }

    /**
     * Signs new access tokens with a new key (returned: its kid). With {@code revokeIssuedTokens}, every token
     * issued before stops working at once; without, those stay valid until they expire.
     */
    public String rotateSigningKey(boolean revokeIssuedTokens) {
        String what = "rotating the token-signing key";
        var json = Json.parse(
                Transport.requireOk(
                                transport.sendJson(
                                        "POST",
                                        "/api/v1/workspace/rotate-signing-key"
                                                + (revokeIssuedTokens ? "?revoke=true" : ""),
                                        null,
                                        what),
                                what)
                        .body(),
                what);
        return Json.required(json, "activeSigningKey").asText();
    }

    /**
     * Creates an access token for the management API with {@code role}, limited to the services matching
     * {@code services} (name globs such as {@code fraud-*}; empty or null: every service; deployer and keys
     * tokens only), living {@code expiresIn} (null: it never expires). The token is in the answer this once:
     * the server keeps only its hash. Needs an admin credential.
     */
    public CreatedAccessToken createAccessToken(
            AccessRole role, List<String> services, Duration expiresIn, String description) {
        Objects.requireNonNull(role, "role");
        String what = "creating an access token";
        var body = Json.object().put("role", role.wireName());
        var patterns = body.putArray("services");
        if (services != null) {
            services.forEach(patterns::add);
        }
        body.put("expiresIn", expiresIn == null ? "never" : Math.max(1, expiresIn.toSeconds()) + "s");
        if (description != null) {
            body.put("description", description);
        }
        var json = Json.parse(
                Transport.requireOk(transport.sendJson("POST", "/api/v1/access/tokens", Json.write(body), what), what)
                        .body(),
                what);
        return new CreatedAccessToken(
                accessToken(json), Json.required(json, "token").asText());
    }

    /** Every access token of the workspace, revoked and expired ones too, oldest first; never their secrets. */
    public List<AccessTokenInfo> accessTokens() {
        String what = "listing the access tokens";
        var json = Json.parse(
                Transport.requireOk(transport.get("/api/v1/access/tokens", what), what)
                        .body(),
                what);
        List<AccessTokenInfo> tokens = new ArrayList<>();
        for (var t : json.path("value")) {
            tokens.add(accessToken(t));
        }
        return List.copyOf(tokens);
    }

    /** Revokes an access token: it is refused from now on, on every replica. Returns it as it now is. */
    public AccessTokenInfo revokeAccessToken(String id) {
        String what = "revoking access token " + id;
        return accessToken(Json.parse(
                Transport.requireOk(
                                transport.sendJson(
                                        "DELETE", "/api/v1/access/tokens/" + Transport.segment(id), null, what),
                                what)
                        .body(),
                what));
    }

    /**
     * The newest {@code limit} entries of the audit log made at or after {@code since} (null: any time), oldest
     * first. Needs an admin credential.
     */
    public List<AuditEntry> audit(Instant since, int limit) {
        String what = "reading the audit log";
        String query = "?limit=" + limit + (since == null ? "" : "&since=" + since);
        var json = Json.parse(
                Transport.requireOk(transport.get("/api/v1/audit" + query, what), what)
                        .body(),
                what);
        List<AuditEntry> entries = new ArrayList<>();
        for (var e : json.path("value")) {
            String role = Json.text(e, "role");
            entries.add(new AuditEntry(
                    Json.instant(e, "time"),
                    Optional.ofNullable(Json.text(e, "credentialId")),
                    Optional.ofNullable(role).map(AccessRole::fromWire),
                    Json.text(e, "method"),
                    Json.text(e, "path"),
                    Optional.ofNullable(Json.text(e, "service")),
                    Optional.ofNullable(Json.text(e, "model")),
                    e.path("status").asInt(),
                    Json.text(e, "replica")));
        }
        return List.copyOf(entries);
    }

    private static AccessTokenInfo accessToken(JsonNode json) {
        return new AccessTokenInfo(
                Json.text(json, "id"),
                AccessRole.fromWire(Json.required(json, "role").asText()),
                Json.texts(json, "services"),
                Json.text(json, "description"),
                Json.instant(json, "createdTime"),
                Json.text(json, "createdBy"),
                Optional.ofNullable(Json.instant(json, "expiresTime")),
                Optional.ofNullable(Json.instant(json, "revokedTime")),
                Json.text(json, "state"));
    }

    Transport transport() {
        return transport;
    }

    /** Shows the URL only: the token is a secret. */
    @Override
    public String toString() {
        return "Workspace[" + url + "]";
    }
}
