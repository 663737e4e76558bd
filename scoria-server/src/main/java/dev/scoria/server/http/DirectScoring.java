package dev.scoria.server.http;

import dev.scoria.core.service.DeploymentSpec;
import dev.scoria.core.service.LiveService;
import dev.scoria.server.http.azure.AzureScoreRoute;
import dev.scoria.server.http.v2.V2Routes;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The scoring fast path, in front of the router: a well-formed {@code POST} to a scoring route
 * ({@code /api/v1/service/{name}/score}, {@code /v2/models/{name}[/versions/{v}]/infer}) that will be let
 * in is admitted, read and scored here, with no routing context, no route matching and no handler chain.
 * It keeps every rule of the routed path: the key is checked before a byte of the body is read, the same
 * admission, body budget, request ids, metrics, access log and answers.
 *
 * <p>Anything else it leaves untouched to the router, which then answers it as it always has: a request
 * that will be refused (unknown service, bad key, unhealthy deployment, wrong media type, a body over the
 * limit or with no room in the {@link BodyBudget}, an over-long id), one from a browser (CORS), one whose
 * body is chunked, held back for a {@code 100 Continue} or a form, and any path that is not plainly a
 * scoring route. So the error answers,
 * and keeping a connection in step after one, stay in one place.
 */
public final class DirectScoring {

    private static final String AZURE_PREFIX = "/api/v1/service/";
    private static final String AZURE_SUFFIX = "/score";
    private static final String V2_PREFIX = "/v2/models/";
    private static final String V2_SUFFIX = "/infer";
    private static final String V2_VERSIONS = "/versions/";
    private static final String AZURE_PROTOCOL = "azure";
    private static final CharSequence RUN_FAILED = HttpHeaders.createOptimized("x-ms-run-function-failed");
    private static final CharSequence FALSE = HttpHeaders.createOptimized("False");
    private static final String V2_PROTOCOL = "v2";

    /** One for the process, whose bounds are the heap's: each event loop has a fast path of its own. */
    private static final BodyPool BODIES = new BodyPool();

    private final InferenceEndpoint endpoint;
    private final AzureScoreRoute azure;
    private final V2Routes v2;
    private final ServingMetrics metrics;
    private final long maxBodyBytes;
    private final BodyBudget budget;

    public DirectScoring(
            InferenceEndpoint endpoint,
            AzureScoreRoute azure,
            V2Routes v2,
            ServingMetrics metrics,
            long maxBodyBytes,
            BodyBudget budget) {
        this.endpoint = endpoint;
        this.azure = azure;
        this.v2 = v2;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
    }

    /** The server's request handler: this fast path first, the router for whatever it leaves. */
    public Handler<HttpServerRequest> before(Handler<HttpServerRequest> router) {
        return request -> {
            if (!take(request)) {
                router.handle(request);
            }
        };
    }

    /** Takes the request and answers it in time; or returns false having changed nothing, for the router. */
    boolean take(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST
                || request.version() == HttpVersion.HTTP_2
                || request.authority() == null) {
            return false;
        }
        Target target = Target.of(request.path());
        if (target == null) {
            return false;
        }
        MultiMap headers = request.headers();
        long length = plainBodyLength(headers);
        if (length < 0 || length > maxBodyBytes) {
            return false;
        }
        LiveService service = endpoint.services().get(target.name());
        if (service == null) {
            return false;
        }
        String pinned = headers.get(InferenceEndpoint.DEPLOYMENT_HEADER);
        if (target.version() != null) {
            DeploymentSpec spec = V2Routes.deploymentOfVersion(service, target.version());
            if (spec == null) {
                return false;
            }
            pinned = spec.name();
        }
        InferenceEndpoint.Decision decision = endpoint.decide(service, headers.get(HttpHeaders.AUTHORIZATION), pinned);
        Admission admission = decision.admission();
        if (admission == null
                || target.azure()
                        && !AzureScoreRoute.takes(admission.predictor(), headers.get(HttpHeaders.CONTENT_TYPE))) {
            return false;
        }
        RequestIds.Ids ids = RequestIds.within(headers);
        if (ids == null) {
            return false;
        }
        // No room for the body now: the router answers 503 before reading it, in the route's format.
        BodyBudget.Hold hold = budget.take(length);
        if (hold == null) {
            return false;
        }
        accept(request, target, admission, ids, (int) length, hold);
        return true;
    }

    private void accept(
            HttpServerRequest request,
            Target target,
            Admission admission,
            RequestIds.Ids ids,
            int length,
            BodyBudget.Hold hold) {
        long started = System.nanoTime();
        Context context = Vertx.currentContext();
        String protocol = target.azure() ? AZURE_PROTOCOL : V2_PROTOCOL;
        String deployment = admission.deployment().name();
        HttpServerResponse response = request.response();
        if (target.azure()) {
            response.putHeader(RUN_FAILED, FALSE);
        }
        response.putHeader(InferenceEndpoint.DEPLOYMENT_HEADER, deployment);
        response.headersEndHandler(v -> ids.writeTo(response.headers()));
        response.endHandler(v -> {
            hold.release();
            AccessLog.record(
                    metrics,
                    System.nanoTime() - started,
                    request,
                    admission.name(),
                    deployment,
                    protocol,
                    ids.requestId(),
                    ids.clientId());
        });
        // Only a body that one job reads can go back to the pool: a mirrored one is read again by the mirror's.
        BodyAccumulator body = new BodyAccumulator(length, admission.mirror() == null ? BODIES : null);
        request.handler(body::add);
        // A connection that breaks mid-body leaves nobody to answer; Vert.x closes it. Either hook may be the one
        // that comes, and the room lent for the body's array must be freed all the same.
        request.exceptionHandler(e -> body.ended());
        response.closeHandler(v -> {
            body.ended();
            hold.release();
        });
        request.endHandler(v -> {
            body.ended();
            Exchange exchange = new Exchange(request, context, ids.requestId(), body, protocol);
            if (target.azure()) {
                azure.score(exchange, admission);
            } else {
                v2.infer(exchange, admission);
            }
        });
    }

    static BodyPool bodies() {
        return BODIES;
    }

    /**
     * The declared length of a body sent whole: -1 for none declared, a chunked one, one held back for
     * {@code 100 Continue}, or a form (which the router's body handler decodes).
     */
    static long plainBodyLength(MultiMap headers) {
        if (headers.contains(HttpHeaders.TRANSFER_ENCODING)
                || headers.contains(HttpHeaders.EXPECT)
                || headers.contains(HttpHeaders.ORIGIN)) {
            return -1;
        }
        String type = headers.get(HttpHeaders.CONTENT_TYPE);
        if (type != null
                && (type.regionMatches(true, 0, "multipart/", 0, 10)
                        || type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33))) {
            return -1;
        }
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (length == null || length.isEmpty() || length.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length.length(); i++) {
            char c = length.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * A scoring route named plainly: its service (and v2 version) made of letters, digits, {@code -} and
     * {@code _} only, so no percent-escape, dot segment or extra slash that the router would normalise.
     *
     * @param version the v2 route's model version, or null
     */
    record Target(boolean azure, String name, String version) {

        static Target of(String path) {
            if (path.startsWith(AZURE_PREFIX) && path.endsWith(AZURE_SUFFIX)) {
                String name = path.substring(AZURE_PREFIX.length(), path.length() - AZURE_SUFFIX.length());
                return plain(name) ? new Target(true, name, null) : null;
            }
            if (path.startsWith(V2_PREFIX) && path.endsWith(V2_SUFFIX)) {
                String rest = path.substring(V2_PREFIX.length(), path.length() - V2_SUFFIX.length());
                int versions = rest.indexOf(V2_VERSIONS);
                if (versions < 0) {
                    return plain(rest) ? new Target(false, rest, null) : null;
                }
                String name = rest.substring(0, versions);
                String version = rest.substring(versions + V2_VERSIONS.length());
                return plain(name) && plain(version) ? new Target(false, name, version) : null;
            }
            return null;
        }

        private static boolean plain(String segment) {
            if (segment.isEmpty()) {
                return false;
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A request the fast path took, as the adapters read it. */
    private record Exchange(
            HttpServerRequest request,
            Context context,
            String requestId,
            Buffer body,
            BodyAccumulator read,
            String protocol)
            implements ScoringExchange {

        Exchange(HttpServerRequest request, Context context, String requestId, BodyAccumulator body, String protocol) {
            this(request, context, requestId, body.whole(), body, protocol);
        }

        @Override
        public void bodyRead() {
            read.release();
        }

        @Override
        public HttpServerResponse response() {
            return request.response();
        }

        @Override
        public MultiMap queryParams() {
            return request.params();
        }
    }
}
