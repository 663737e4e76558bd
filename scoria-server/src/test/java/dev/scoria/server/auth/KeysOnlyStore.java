package dev.scoria.server.auth;

import dev.scoria.core.auth.SigningKeyRecord;
import dev.scoria.core.store.Store;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Store} in memory that holds only what {@code TokenService} uses (settings, signing keys) and
 * fails on anything else: the token fuzz test starts in milliseconds, without a database and its migrations.
 */
final class KeysOnlyStore {

    private KeysOnlyStore() {}

    static Store create() {
        Map<String, String> settings = new HashMap<>();
        List<SigningKeyRecord> keys = new ArrayList<>();
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "putSettingIfAbsent":
                    return settings.computeIfAbsent((String) a[0], k -> (String) a[1]);
                case "signingKeys":
                    return List.copyOf(keys);
                case "rotateSigningKey": {
                    SigningKeyRecord next = (SigningKeyRecord) a[0];
                    Instant now = (Instant) a[1];
                    keys.replaceAll(k -> k.active()
                            ? new SigningKeyRecord(
                                    k.kid(), k.algorithm(), k.privateKey(), k.publicKey(), k.createdTime(), now)
                            : k);
                    keys.add(next);
                    return null;
                }
                case "deleteRetiredSigningKeys":
                    keys.removeIf(k -> !k.active());
                    return null;
                default:
                    throw new UnsupportedOperationException("not kept by the keys-only store: " + m.getName());
            }
        });
    }
}
