package dev.scoria.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a JSON text, in terms of the text a client sent. Jackson's own messages name its settings
 * ({@code enable JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS to allow}, {@code StreamReadConstraints.getMaxNestingDepth()})
 * and a redacted source, which mean nothing to a client and invite it to change a server setting it cannot reach.
 */
public final class JsonErrors {

    private static final Pattern NON_NUMERIC = Pattern.compile(
            "Non-standard token '([^']*)': enable `JsonReadFeature\\.ALLOW_NON_NUMERIC_NUMBERS` to allow");
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]");
    private static final Pattern CONSTRAINT = Pattern.compile(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`");

    private JsonErrors() {}

    /** E.g. {@code 'NaN' is not a JSON value: JSON numbers are finite, so send a number (line 1, column 14)}. */
    public static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        message = message.lines().findFirst().orElse("");
        Matcher nonNumeric = NON_NUMERIC.matcher(message);
        if (nonNumeric.find()) {
            message = "'" + nonNumeric.group(1) + "' is not a JSON value: JSON numbers are finite, so send a number";
        }
        message = SOURCE.matcher(message).replaceAll("line $1, column $2");
        message = CONSTRAINT.matcher(message).replaceAll("");
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            message += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return message;
    }
}
