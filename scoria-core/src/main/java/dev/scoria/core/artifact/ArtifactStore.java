package dev.scoria.core.artifact;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Files stored under their sha256 ({@code ab/abcdef…}), written to a temporary file and moved into
 * place atomically so that a crash never leaves a half-written blob under a valid name. Reads verify
 * the digest, so a corrupted file is reported instead of being served.
 */
public final class ArtifactStore {

    private final Path root;
    private final BlobStore shared;

    /** Files under {@code root} only: the workspace of one process. */
    public ArtifactStore(Path root) throws IOException {
        this(root, null);
    }

    /**
     * Blobs kept in the workspace database ({@code shared}), with {@code root} as this replica's cache:
     * a blob is fetched once, verified, and read locally from then on.
     */
    public ArtifactStore(Path root, BlobStore shared) throws IOException {
        this.root = root;
        this.shared = shared;
        Files.createDirectories(root.resolve("tmp"));
    }

    /** Copies {@code content} into the store and describes it as the model file {@code path}. */
    public ModelFile put(String path, Path content) throws IOException {
        Path tmp = Files.createTempFile(root.resolve("tmp"), "upload", ".part");
        try {
            MessageDigest digest = sha256();
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(content), digest);
                    OutputStream out = Files.newOutputStream(tmp)) {
                size = in.transferTo(out);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Path target = blobPath(sha);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try (var channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (shared != null && !shared.hasBlob(sha)) {
                // Committed to the database before the model record that names it, so every replica can fetch it.
                shared.putBlob(sha, size, target);
            }
            return new ModelFile(path, sha, size);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a stored file whole, failing if its content no longer matches its digest. */
    public byte[] read(ModelFile file) throws IOException {
        Path blob = blobPath(file.sha256());
        if (!Files.exists(blob) && shared != null && shared.hasBlob(file.sha256())) {
            fetch(file);
        }
        if (!Files.exists(blob)) {
            throw new ScoriaException(
                    ErrorKind.INTERNAL,
                    "model file '" + file.path() + "' (sha256 " + file.sha256()
                            + ") is missing from the artifact store at " + blob);
        }
        byte[] bytes = Files.readAllBytes(blob);
        String actual = HexFormat.of().formatHex(sha256().digest(bytes));
        if (!actual.equals(file.sha256())) {
            throw new ScoriaException(
                    ErrorKind.INTERNAL,
                    "model file '" + file.path() + "' is corrupted: expected sha256 " + file.sha256() + ", found "
                            + actual);
        }
        return bytes;
    }

    /** Copies a blob from the database into the local cache, verifying its digest before it takes its name. */
    private void fetch(ModelFile file) throws IOException {
        Path tmp = Files.createTempFile(root.resolve("tmp"), "fetch", ".part");
        try {
            shared.readBlob(file.sha256(), tmp);
            String actual = sha256Of(tmp);
            if (!actual.equals(file.sha256())) {
                throw new ScoriaException(
                        ErrorKind.INTERNAL,
                        "model file '" + file.path() + "' fetched from the workspace"
                                + " database is corrupted: expected sha256 " + file.sha256() + ", found " + actual);
            }
            Path target = blobPath(file.sha256());
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The sha256 (hex) of a file's content, read in blocks. */
    public static String sha256Of(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
    }

    /** Copies a stored file to {@code target} after verifying it. */
    public void copyTo(ModelFile file, Path target) throws IOException {
        byte[] bytes = read(file);
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
    }

    /** Whether a blob with this sha256 is stored. */
    public boolean contains(String sha256) {
        return sha256 != null
                && sha256.matches("[0-9a-f]{64}")
                && (Files.exists(blobPath(sha256)) || shared != null && shared.hasBlob(sha256));
    }

    Path blobPath(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
