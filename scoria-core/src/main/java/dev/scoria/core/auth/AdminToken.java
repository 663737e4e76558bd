package dev.scoria.core.auth;

import dev.scoria.core.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workspace's admin credential. With one process it lives in {@code <data-dir>/admin-token} (mode
 * 0600), created at first start. With a shared database the database keeps only its sha256, so every
 * replica accepts it and none has to know it: it comes from {@code SCORIA_ADMIN_TOKEN}, or is made by
 * the replica that creates the workspace, which prints it once and writes its own admin-token file.
 */
public final class AdminToken {

    public static final String FILE_NAME = "admin-token";
    /** The workspace setting holding the token's sha256 (hex) in a shared workspace. */
    public static final String HASH_SETTING = "admin_token_sha256";

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

    private final Path file;
    private final Store shared;
    private volatile String value;
    private volatile String hash;
    private final boolean created;

    private AdminToken(Path file, Store shared, String value, String hash, boolean created) {
        this.file = file;
        this.shared = shared;
        this.value = value;
        this.hash = hash;
        this.created = created;
    }

    public static AdminToken loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String token = read(file);
            return new AdminToken(file, null, token, sha256(token), false);
        }
        String token = SecretGenerator.newSecret();
        try {
            writePrivate(file, token + "\n");
        } catch (FileAlreadyExistsException e) {
            String existing = read(file);
            return new AdminToken(file, null, existing, sha256(existing), false);
        }
        return new AdminToken(file, null, token, sha256(token), true);
    }

    /**
     * The admin token of a shared workspace. {@code fromEnvironment} (may be null) is the token a new
     * workspace is created with; the first replica to store a hash wins, concurrent first starts agree.
     */
    public static AdminToken shared(Store store, Path dataDir, String fromEnvironment) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        String candidate = fromEnvironment != null && !fromEnvironment.isBlank()
                ? fromEnvironment.trim()
                : Files.exists(file) ? read(file) : SecretGenerator.newSecret();
        String stored = store.putSettingIfAbsent(HASH_SETTING, sha256(candidate));
        boolean ours = stored.equals(sha256(candidate));
        boolean created = ours && (fromEnvironment == null || fromEnvironment.isBlank()) && !Files.exists(file);
        if (created) {
            writePrivate(file, candidate + "\n");
        }
        if (!ours && fromEnvironment != null && !fromEnvironment.isBlank()) {
            LOG.warn("SCORIA_ADMIN_TOKEN is not this workspace's admin token (it was rotated since, or set by another"
                    + " deployment); it is not accepted: use the workspace's current token");
        }
        return new AdminToken(file, store, ours ? candidate : null, stored, created);
    }

    /**
     * Replaces the token. The old one stops working here as soon as this returns, and on every other
     * replica of a shared workspace at its next resync (within a second).
     */
    public synchronized String rotate() throws IOException {
        String token = SecretGenerator.newSecret();
        if (shared != null) {
            shared.putSetting(HASH_SETTING, sha256(token));
        }
        Path next = file.resolveSibling(FILE_NAME + ".next");
        Files.deleteIfExists(next);
        writePrivate(next, token + "\n");
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        value = token;
        hash = sha256(token);
        return token;
    }

    /** Re-reads the hash a shared workspace keeps (another replica may have rotated the token). */
    public void reload() {
        if (shared != null) {
            shared.setting(HASH_SETTING).ifPresent(h -> {
                if (!h.equals(hash)) {
                    hash = h;
                    value = null;
                }
            });
        }
    }

    public static String read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
            throw new IOException("admin token file " + file + " is empty");
        }
        return token;
    }

    /** Creates {@code file} readable by its owner only; it must not exist yet. */
    public static void writePrivate(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    public static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token, or null on a replica of a shared workspace that was not given it and did not create it. */
    public String value() {
        return value;
    }

    /** Whether this start created the token (so it is printed once, now). */
    public boolean created() {
        return created;
    }

    /** Compares digests in constant time: the database never held the token, only its hash. */
    public boolean matches(String presented) {
        return presented != null && Secrets.matches(sha256(presented), hash);
    }

    @Override
    public String toString() {
        return "AdminToken[redacted]";
    }
}
