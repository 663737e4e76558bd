package dev.scoria.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code --tag key=value} options. */
final class KeyValues {

    private KeyValues() {}

    static Map<String, String> parse(String option, List<String> terms) {
        if (terms == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String term : terms) {
            int eq = term.indexOf('=');
            if (eq <= 0) {
                throw new CliErrors.CliFailure(option + " '" + term + "' must be key=value", 2);
            }
            map.put(term.substring(0, eq), term.substring(eq + 1));
        }
        return map;
    }
}
