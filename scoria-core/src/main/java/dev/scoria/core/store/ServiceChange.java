package dev.scoria.core.store;

import dev.scoria.core.service.Operation;
import dev.scoria.core.service.ServiceRecord;

/** A change to one service, computed from its committed row while that row is locked. */
@FunctionalInterface
public interface ServiceChange {

    /**
     * @param running the operation still running on the service, or null
     * @return what to write
     */
    Result apply(ServiceRecord current, Operation running);

    /**
     * @param updated the new row, or null to delete the service
     * @param operation an operation to record with the change, or null
     */
    record Result(ServiceRecord updated, Operation operation) {}
}
