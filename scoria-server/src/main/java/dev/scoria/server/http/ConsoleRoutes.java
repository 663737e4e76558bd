package dev.scoria.server.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console (module {@code scoria-console}): static files at {@code /console/}, which call the
 * public management API like any other client. Browsers asking for {@code /} are sent there.
 */
final class ConsoleRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
    static final String RESOURCES = "scoria-console";
    static final String PATH = "/console/";
    /**
     * The console loads only its own files and talks only to this server; no page may frame it
     * (clickjacking on the key buttons). Inline styles are allowed because Swagger UI sets them.
     */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private ConsoleRoutes() {}

    /**
     * Mounts the console when its files are on the class path; returns whether it did. Files are
     * unpacked into {@code unpackInto} first: the server runs with class-path file resolution off,
     * and StaticHandler serves from a directory.
     */
    static boolean mount(Router router, Path unpackInto) {
        Path root;
        try {
            root = locate(unpackInto);
        } catch (IOException | UncheckedIOException | URISyntaxException e) {
            LOG.warn(
                    "the web console could not be unpacked into {}: {} (the API is not affected)",
                    unpackInto,
                    e.toString());
            return false;
        }
        if (root == null) {
            LOG.debug("no web console on the class path");
            return false;
        }
        router.get("/console").handler(ctx -> {
            // Vert.x matches "/console/" here too: only the bare path is redirected.
            if (ctx.request().path().endsWith("/")) {
                ctx.next();
            } else {
                redirect(ctx, PATH);
            }
        });
        router.get(PATH + "*")
                .handler(ctx -> {
                    ctx.response()
                            .putHeader("Content-Security-Policy", CSP)
                            .putHeader("X-Content-Type-Options", "nosniff")
                            .putHeader("Referrer-Policy", "no-referrer")
                            // A new server version must not run an old cached app.js against its API.
                            .putHeader("Cache-Control", "no-cache");
                    ctx.next();
                })
                .handler(StaticHandler.create(FileSystemAccess.ROOT, root.toString())
                        .setCachingEnabled(false)
                        .setDirectoryListing(false)
                        .setIncludeHidden(false));
        return true;
    }

    /** Whether a {@code GET /} comes from a browser: it prefers {@code text/html} (q ≥ every other type). */
    static boolean prefersHtml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double html = 0;
        double others = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (type.equals("text/html")) {
                html = Math.max(html, q);
            } else {
                others = Math.max(others, q);
            }
        }
        return html > 0 && html >= others;
    }

    static void redirect(RoutingContext ctx, String location) {
        ctx.response()
                .setStatusCode(302)
                .putHeader("Location", location)
                .putHeader("Cache-Control", "no-store")
                .end();
    }

    /** The console's directory: the class path's own when it is a directory, else a fresh copy out of the jar. */
    private static Path locate(Path unpackInto) throws IOException, URISyntaxException {
        URL index = ConsoleRoutes.class.getClassLoader().getResource(RESOURCES + "/index.html");
        if (index == null) {
            return null;
        }
        URI uri = index.toURI();
        if ("file".equals(uri.getScheme())) {
            return Path.of(uri).getParent();
        }
        String spec = uri.getSchemeSpecificPart();
        int bang = spec.indexOf("!/");
        if (!"jar".equals(uri.getScheme()) || bang < 0) {
            throw new IOException("unsupported class-path location " + uri);
        }
        Path jar = Path.of(new URI(spec.substring(0, bang)));
        deleteTree(unpackInto);
        // A private file system instance: another server in the same JVM may be unpacking too.
        try (FileSystem fs = FileSystems.newFileSystem(jar, (ClassLoader) null);
                Stream<Path> files = Files.walk(fs.getPath("/" + RESOURCES))) {
            Path source = fs.getPath("/" + RESOURCES);
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = unpackInto.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return unpackInto;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
