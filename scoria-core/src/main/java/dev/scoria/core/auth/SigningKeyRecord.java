package dev.scoria.core.auth;

import java.time.Instant;

/**
 * A workspace signing key as stored: PKCS#8 private and X.509 public key, base64. A retired key signs
 * nothing new but still verifies the tokens it signed until they expire.
 */
public record SigningKeyRecord(
        String kid, String algorithm, String privateKey, String publicKey, Instant createdTime, Instant retiredTime) {

    public boolean active() {
        return retiredTime == null;
    }

    @Override
    public String toString() {
        return "SigningKeyRecord[" + kid + ", " + algorithm + ", retired " + retiredTime + "]";
    }
}
