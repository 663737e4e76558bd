package dev.scoria.core.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Content-addressed files kept in the workspace database, so that every replica can fetch a model or
 * code package without a shared file system. Each replica keeps a verified local copy.
 */
public interface BlobStore {

    boolean hasBlob(String sha256);

    /** Stores {@code file} under {@code sha256} unless a blob with that digest is already stored. */
    void putBlob(String sha256, long size, Path file) throws IOException;

    /** Writes the blob to {@code target}; the caller verifies its digest. */
    void readBlob(String sha256, Path target) throws IOException;
}
