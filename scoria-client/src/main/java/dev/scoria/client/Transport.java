package dev.scoria.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends requests to one Scoria server and turns what goes wrong into {@link WebserviceException}s.
 * Management calls carry the workspace's admin token; data-plane calls carry whatever the caller sets.
 */
final class Transport {

    static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);
    private static final String USER_AGENT = "scoria-java-sdk/0.1.0";

    private final HttpClient http;
    private final URI baseUri;
    private final String adminToken;

    Transport(HttpClient http, URI baseUri, String adminToken) {
        this.http = http;
        this.baseUri = baseUri;
        this.adminToken = adminToken;
    }

    /** An HTTP answer of any status, body read as UTF-8 text. */
    record Response(int status, String body, HttpHeaders headers) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    URI baseUri() {
        return baseUri;
    }

    /** A management API call; {@code path} starts with {@code /api/v1/}. Any status is returned. */
    Response management(
            String method, String path, BodyPublisher body, String contentType, Duration timeout, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body)
                .header("Authorization", "Bearer " + adminToken);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (timeout != null) {
            request.timeout(timeout);
        }
        return exchange(request, what);
    }

    Response get(String path, String what) {
        return management("GET", path, null, null, CALL_TIMEOUT, what);
    }

    Response sendJson(String method, String path, String json, String what) {
        return management(
                method,
                path,
                json == null ? null : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8),
                json == null ? null : "application/json",
                CALL_TIMEOUT,
                what);
    }

    /** Sends a request built by the caller (data plane). Adds only the user agent. Any status is returned. */
    Response exchange(HttpRequest.Builder request, String what) {
        HttpRequest built = request.header("User-Agent", USER_AGENT).build();
        try {
            HttpResponse<String> response =
                    http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable(what, e);
        } catch (HttpTimeoutException e) {
            throw new WebserviceException(
                    what + " failed: the server at " + baseUri + " did not answer within "
                            + built.timeout().map(Duration::toString).orElse("the timeout"),
                    e);
        } catch (IOException e) {
            throw unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebserviceException(what + " was interrupted", e);
        }
    }

    private WebserviceException unreachable(String what, IOException e) {
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new WebserviceException(
                what + " failed: the Scoria server at " + baseUri + " could not be reached (" + cause
                        + "). Is it running, and is SCORIA_URL right?",
                e);
    }

    /** Returns a successful answer, or throws the error the server described. */
    static Response requireOk(Response response, String what) {
        if (response.ok()) {
            return response;
        }
        throw failure(response, what);
    }

    static WebserviceException failure(Response response, String what) {
        String message = ErrorBody.message(response.body());
        return new WebserviceException(describe(response.status(), message, what), response.status(), message);
    }

    static String describe(int status, String serverMessage, String what) {
        return what + " failed (HTTP " + status + ")" + (serverMessage == null ? "" : ": " + serverMessage);
    }

    /** Resolves a server-relative path (as in an {@code Operation-Location} header) or keeps an absolute URI. */
    URI resolve(String pathOrUri) {
        URI uri = URI.create(pathOrUri);
        if (uri.isAbsolute()) {
            return uri;
        }
        String base = baseUri.toString();
        return URI.create(base + (pathOrUri.startsWith("/") ? "" : "/") + pathOrUri);
    }

    /** Escapes one path segment; names are restricted by the server, but a user's typo must not change the route. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
