package dev.scoria.core.access;

import java.util.Optional;

/** Who makes a management call: the credential that opened it, with its role and the services it may touch. */
public record Caller(String credentialId, Role role, ServicePatterns services) {

    /** The credential id the audit log gives the workspace's admin token. */
    public static final String ADMIN_TOKEN_ID = "admin";

    public static final Caller ADMIN_TOKEN = new Caller(ADMIN_TOKEN_ID, Role.ADMIN, ServicePatterns.ALL);

    /** Why this caller may not do {@code action} (e.g. "register models"), which needs {@code right}; empty when it may. */
    public Optional<String> refusal(Right right, String action) {
        if (!role.grants(right)) {
            return Optional.of("this token's role '" + role.wireName() + "' cannot " + action + " (needs role "
                    + right.grantedBy() + ")");
        }
        return Optional.empty();
    }

    /** As {@link #refusal}, for an action on one service: a token limited to some services must name it. */
    public Optional<String> refusal(Right right, String action, String service) {
        String what = action + " service '" + service + "'";
        Optional<String> byRole = refusal(right, what);
        if (byRole.isPresent() || right == Right.READ || services.matches(service)) {
            return byRole;
        }
        return Optional.of("this token (role " + role.wireName() + ") is limited to services '" + services
                + "' and cannot " + what);
    }

    /** As {@link #refusal}, for an action that reaches beyond the services a limited token may touch. */
    public Optional<String> refusalUnlessUnlimited(Right right, String action) {
        Optional<String> byRole = refusal(right, action);
        if (byRole.isPresent() || services.all()) {
            return byRole;
        }
        return Optional.of("this token (role " + role.wireName() + ") is limited to services '" + services
                + "' and cannot " + action + " (needs a token not limited to services)");
    }
}
