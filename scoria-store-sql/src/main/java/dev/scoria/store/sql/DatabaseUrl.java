package dev.scoria.store.sql;

import dev.scoria.core.ScoriaException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location as users write it — {@code postgresql://USER:PASS@HOST:PORT/DB?opts},
 * {@code postgres://…} or {@code jdbc:postgresql://…} — as a JDBC URL plus credentials. The password
 * never appears in {@link #toString()}.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw ScoriaException.badInput(
                    "database URL is empty: expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
        }
        String rest;
        if (url.startsWith("jdbc:postgresql://")) {
            rest = url.substring("jdbc:postgresql://".length());
        } else if (url.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else if (url.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else {
            throw ScoriaException.badInput(
                    "database URL must start with postgresql://, postgres:// or jdbc:postgresql://, saw '" + redact(url)
                            + "'");
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@', slashOrEnd(rest));
        if (at >= 0) {
            String credentials = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = credentials.indexOf(':');
            user = decode(colon < 0 ? credentials : credentials.substring(0, colon));
            password = colon < 0 ? null : decode(credentials.substring(colon + 1));
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.charAt(slash + 1) == '?') {
            throw ScoriaException.badInput(
                    "database URL must name a host and a database (postgresql://HOST:PORT/DATABASE), saw '"
                            + redact(url) + "'");
        }
        return new DatabaseUrl("jdbc:postgresql://" + rest, user, password);
    }

    private static int slashOrEnd(String rest) {
        int slash = rest.indexOf('/');
        return slash < 0 ? rest.length() : slash;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL with any password replaced, for messages and logs. */
    public static String redact(String url) {
        return url == null ? null : url.replaceAll("://([^:/@]*):[^@/]*@", "://$1:***@");
    }

    @Override
    public String toString() {
        return jdbcUrl + (user == null ? "" : " (user " + user + ")");
    }
}
