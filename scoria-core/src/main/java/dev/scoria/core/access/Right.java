package dev.scoria.core.access;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a management call needs. Each route asks for exactly one; a role grants a set of them. */
public enum Right {
    /** List and show models, services, deployments, operations, replicas, runtimes, logs and metrics. */
    READ,
    /** Register and delete models, upload code, deploy, update and delete services and deployments. */
    DEPLOY,
    /** Read and regenerate a service's keys, get tokens for it. */
    KEYS,
    /** Access tokens, the audit log, the admin token and the signing keys. */
    ADMIN;

    /** The roles that grant this right, as a refusal names them: "keys or admin". */
    public String grantedBy() {
        return Arrays.stream(Role.values())
                .filter(r -> r.grants(this))
                .map(Role::wireName)
                .collect(Collectors.joining(" or "));
    }
}
