package dev.scoria.core.access;

import dev.scoria.core.ScoriaException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an access token may do. Every role reads; {@code deployer} also changes models, services and
 * deployments (never keys); {@code keys} also reads and regenerates keys and gets tokens; {@code admin}
 * does everything, access tokens included. The workspace's admin token has role admin.
 */
public enum Role {
    READER(EnumSet.of(Right.READ)),
    DEPLOYER(EnumSet.of(Right.READ, Right.DEPLOY)),
    KEYS(EnumSet.of(Right.READ, Right.KEYS)),
    ADMIN(EnumSet.allOf(Right.class));

    private final Set<Right> rights;

    Role(Set<Right> rights) {
        this.rights = rights;
    }

    public boolean grants(Right right) {
        return rights.contains(right);
    }

    /** Whether a token of this role may be limited to some services (the rights it adds are about services). */
    public boolean scopable() {
        return this == DEPLOYER || this == KEYS;
    }

    /** The name on the wire and on the command line: {@code reader}, {@code deployer}, {@code keys}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.wireName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return role;
            }
        }
        throw ScoriaException.badInput("field 'role' must be one of "
                + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")) + ", saw '" + text
                + "'");
    }
}
