package dev.scoria.server.http;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;

/** A scoring request that came through the router: everything is read from its routing context. */
public record RoutedExchange(RoutingContext ctx) implements ScoringExchange {

    @Override
    public HttpServerRequest request() {
        return ctx.request();
    }

    @Override
    public HttpServerResponse response() {
        return ctx.response();
    }

    @Override
    public Context context() {
        return ctx.vertx().getOrCreateContext();
    }

    @Override
    public String requestId() {
        return ctx.get(RequestIds.KEY);
    }

    @Override
    public Buffer body() {
        RequestBody body = ctx.body();
        return body == null ? null : body.buffer();
    }

    @Override
    public MultiMap queryParams() {
        return ctx.queryParams();
    }

    @Override
    public String protocol() {
        return ctx.get(AccessLog.PROTOCOL, "azure");
    }
}
