package dev.scoria.core.access;

import dev.scoria.core.ScoriaException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long a new access token lives, as written on the command line and in the API: {@code 30d}, {@code 12h}, {@code never}. */
public final class Lifetime {

    /** What a token gets when none is asked for. */
    public static final String DEFAULT = "30d";

    private static final Pattern TEXT = Pattern.compile("([1-9][0-9]{0,6})([smhdw])");
    /** Any count and unit, to tell a lifetime that is too long from one that is not written as one. */
    private static final Pattern ANY_COUNT = Pattern.compile("[0-9]+[smhdw]");

    private Lifetime() {}

    /** The lifetime, or empty for {@code never}. */
    public static Optional<Duration> parse(String field, String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("never")) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(t);
        if (!m.matches() && ANY_COUNT.matcher(t).matches() && !t.startsWith("0")) {
            throw ScoriaException.badInput(field + " is '" + text + "': at most 9999999 of a unit (e.g. 3650d for ten"
                    + " years), or 'never'");
        }
        if (!m.matches()) {
            throw ScoriaException.badInput(
                    field + " must be a whole number followed by s, m, h, d or w (e.g. 30d, 12h),"
                            + " or 'never'; saw '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
        return Optional.of(d);
    }
}
