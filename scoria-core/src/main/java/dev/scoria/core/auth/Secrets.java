package dev.scoria.core.auth;

/** Comparison of secrets in time that does not depend on where they first differ. */
public final class Secrets {

    private Secrets() {}

    public static boolean matches(String presented, String expected) {
        if (presented == null || expected == null) {
            return false;
        }
        // Constant time in the secret's content, like MessageDigest.isEqual, without encoding both to bytes
        // on every request.
        int difference = presented.length() ^ expected.length();
        int n = Math.min(presented.length(), expected.length());
        for (int i = 0; i < n; i++) {
            difference |= presented.charAt(i) ^ expected.charAt(i);
        }
        return difference == 0;
    }

    /** The value of an {@code Authorization: Bearer <value>} header, or null when the header is absent or of another scheme. */
    public static String bearer(String authorizationHeader) {
        if (authorizationHeader == null) {
            return null;
        }
        String h = authorizationHeader.trim();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String value = h.substring(7).trim();
        return value.isEmpty() ? null : value;
    }
}
