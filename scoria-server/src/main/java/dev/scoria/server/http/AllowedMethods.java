package dev.scoria.server.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The methods a path is served with, for a 405's {@code Allow} header (which HTTP requires on a 405): those of
 * every route whose path template ({@code /api/v1/services/:name}) the path fits. Worked out only when a 405 is
 * sent, so its cost is the refused request's.
 */
final class AllowedMethods {

    private AllowedMethods() {}

    /** E.g. {@code GET, POST}; empty when no route names its methods. */
    static String of(Router router, String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String template = route.getPath();
            Set<HttpMethod> served = route.methods();
            if (template != null && served != null && !served.isEmpty() && fits(path, template)) {
                served.forEach(m -> methods.add(m.name()));
            }
        }
        return String.join(", ", methods);
    }

    /** Whether {@code path} fits {@code template}: same segments, a {@code :param} any one, a final {@code *} the rest. */
    static boolean fits(String path, String template) {
        List<String> want = List.of(template.split("/", -1));
        List<String> have = List.of(path.split("/", -1));
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            if (w.equals("*") && i == want.size() - 1) {
                return true;
            }
            if (i >= have.size()) {
                return false;
            }
            String h = have.get(i);
            if (w.startsWith(":") ? h.isEmpty() : !w.equals(h)) {
                return false;
            }
        }
        return have.size() == want.size();
    }
}
