package dev.scoria.store.sql;

import dev.scoria.core.store.ChangeListener;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs for the workspace's change notifications on a connection of its own, and reconnects with
 * backoff when it is lost. Notifications sent while disconnected are gone, so every (re)connection
 * is reported as {@link ChangeListener#reconnected()}: the listener resyncs in full.
 */
final class ChangeFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    /** Short: a change made just after the database comes back must reach every replica within a second. */
    private static final long MAX_BACKOFF_MS = 1000;

    private final DatabaseUrl url;
    private final String channel;
    private final ChangeListener listener;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    ChangeFeed(DatabaseUrl url, String channel, ChangeListener listener) {
        this.url = url;
        this.channel = channel;
        this.listener = listener;
        this.thread = new Thread(this::run, "scoria-change-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long backoff = 100;
        boolean everConnected = false;
        while (!closed) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                if (everConnected) {
                    LOG.info("change notifications: reconnected to the workspace database; resyncing");
                }
                everConnected = true;
                backoff = 100;
                listener.reconnected();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    // Waits up to 1 s; a dead connection throws here, which starts a reconnect.
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        listener.changed();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn(
                        "change notifications: lost the workspace database ({}); retrying in {} ms",
                        SqlStore.rootMessage(e),
                        backoff);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("ApplicationName", "scoria-listen");
        props.setProperty("connectTimeout", "3");
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the change feed's connection", e);
            }
        }
        thread.interrupt();
    }
}
