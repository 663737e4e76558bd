package dev.scoria.core.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The workspace's admin credential, kept in {@code <data-dir>/admin-token} with mode 0600: created
 * at first start, read at every later one.
 */
public final class AdminToken {

    public static final String FILE_NAME = "admin-token";

    private final Path file;
    private volatile String value;
    private final boolean created;

    private AdminToken(Path file, String value, boolean created) {
        this.file = file;
        this.value = value;
        this.created = created;
    }

    public static AdminToken loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return new AdminToken(file, read(file), false);
        }
        String token = SecretGenerator.newSecret();
        try {
            writePrivate(file, token + "\n");
        } catch (FileAlreadyExistsException e) {
            return new AdminToken(file, read(file), false);
        }
        return new AdminToken(file, token, true);
    }

    /**
     * Replaces the token: the new one is written beside the file and moved over it, so the file always
     * holds a whole token; the old token stops working as soon as this returns.
     */
    public synchronized String rotate() throws IOException {
        String token = SecretGenerator.newSecret();
        Path next = file.resolveSibling(FILE_NAME + ".next");
        Files.deleteIfExists(next);
        writePrivate(next, token + "\n");
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        value = token;
        return token;
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

    public String value() {
        return value;
    }

    /** Whether this start created the token (so it is printed once, now). */
    public boolean created() {
        return created;
    }

    public boolean matches(String presented) {
        return Secrets.matches(presented, value);
    }

    @Override
    public String toString() {
        return "AdminToken[redacted]";
    }
}
