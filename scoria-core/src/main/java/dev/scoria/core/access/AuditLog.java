package dev.scoria.core.access;

import dev.scoria.core.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of management calls, kept in the store. Entries are written in the background, off the
 * event loop and after the answer; one thread writes them in order, and reads go through the same thread,
 * so a read on this replica sees every call this replica answered before it.
 */
public final class AuditLog implements AutoCloseable {

    /** Entries kept; older ones are trimmed, so that a flood of refused calls cannot fill the disk. */
    public static final int ENTRIES_KEPT = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** Entries waiting beyond this are dropped (and logged): the database is away, or far behind. */
    private static final int QUEUE_LIMIT = 10_000;

    private final Store store;
    private final ExecutorService writer;
    private final AtomicInteger dropped = new AtomicInteger();

    public AuditLog(Store store) {
        this.store = store;
        this.writer =
                new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUE_LIMIT), r -> {
                    Thread t = new Thread(r, "scoria-audit");
                    t.setDaemon(true);
                    return t;
                });
    }

    public void record(AuditEntry entry) {
        try {
            writer.execute(() -> {
                try {
                    store.appendAudit(entry, ENTRIES_KEPT);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "could not write an audit entry for {} {} ({}): {}",
                            entry.method(),
                            entry.path(),
                            entry.status(),
                            e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("audit entries are being dropped ({} so far): the store is not keeping up", dropped.get());
            }
        }
    }

    /** The newest {@code limit} entries at or after {@code since} (null: any time), oldest first. */
    public List<AuditEntry> read(Instant since, int limit) {
        try {
            return writer.submit(() -> store.readAudit(since, limit)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the audit log", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the audit log could not be read within 60 s", e);
        }
    }

    /** Writes what is queued (a few seconds at most), then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
