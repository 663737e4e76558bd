package dev.scoria.server.http;

import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The base URL clients should use to reach this server: the configured public URL, else the scheme
 * and host the caller itself used (so URIs stay right behind a load balancer or a port forward).
 */
public final class BaseUrls {

    private final String publicUrl;
    private final Supplier<String> fallback;

    public BaseUrls(String publicUrl, Supplier<String> fallback) {
        this.publicUrl = publicUrl == null ? null : stripSlash(publicUrl);
        this.fallback = fallback;
    }

    public String of(RoutingContext ctx) {
        if (publicUrl != null) {
            return publicUrl;
        }
        // authority() covers both HTTP/1.1's Host header and HTTP/2's :authority.
        var authority = ctx.request().authority();
        String host = authority == null ? null : authority.toString();
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.\\-:\\[\\]]+")) {
            return fallback.get();
        }
        return ctx.request().scheme() + "://" + host;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
