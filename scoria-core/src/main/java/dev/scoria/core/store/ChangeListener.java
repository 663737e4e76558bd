package dev.scoria.core.store;

/**
 * Told when another replica changed the workspace. Notifications can be lost while a replica is
 * disconnected, so {@link #reconnected()} asks for a full resync.
 */
public interface ChangeListener {

    void changed();

    void reconnected();
}
