package dev.scoria.core.auth;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes keys and tokens: 32 random bytes, URL-safe base64 without padding (43 characters). */
public final class SecretGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretGenerator() {}

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
