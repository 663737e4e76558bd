package dev.scoria.core.access;

import dev.scoria.core.ScoriaException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The services a token is limited to, as name globs ({@code *} any run of characters, {@code ?} one):
 * {@code fraud-*}. No pattern means every service.
 */
public record ServicePatterns(List<String> globs) {

    public static final ServicePatterns ALL = new ServicePatterns(List.of());

    /** Service names are lower-case letters, digits and '-': a glob adds only '*' and '?'. */
    private static final Pattern GLOB = Pattern.compile("[a-z0-9*?-]{1,64}");

    public ServicePatterns {
        globs = List.copyOf(globs);
        for (String glob : globs) {
            if (glob == null || !GLOB.matcher(glob).matches()) {
                throw ScoriaException.badInput("field 'services' takes service-name patterns of lower-case letters,"
                        + " digits, '-', '*' (any run) and '?' (one character), e.g. 'fraud-*'; saw '" + glob + "'");
            }
        }
    }

    public boolean all() {
        return globs.isEmpty();
    }

    public boolean matches(String service) {
        if (all()) {
            return true;
        }
        if (service == null) {
            return false;
        }
        for (String glob : globs) {
            if (matches(glob, 0, service, 0)) {
                return true;
            }
        }
        return false;
    }

    /** Glob matching without regular expressions: a pattern cannot make it slow beyond length × length. */
    private static boolean matches(String glob, int g, String name, int n) {
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
                g++;
                n++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = n;
            } else if (star >= 0) {
                g = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return all() ? "*" : String.join(",", globs);
    }
}
