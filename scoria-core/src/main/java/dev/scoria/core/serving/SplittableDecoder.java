package dev.scoria.core.serving;

import java.util.List;

/**
 * A tensor request whose rows can also be decoded in parts, each a tensor request of some consecutive
 * rows, which a row-independent model scores separately and whose answers, stacked in order, are the
 * whole request's. A part that cannot be decoded as such throws (anything): the request is then decoded
 * and scored whole, and judged as it would have been.
 */
public interface SplittableDecoder extends RequestDecoder {

    /** At most {@code parts} decoders of consecutive rows, in order; one (or none) when it cannot be cut. */
    List<RequestDecoder> split(int parts);

    /**
     * Called once the job that scored the request has returned with every part and any whole read of it done,
     * so nothing reads what it decodes from any more; not when the job failed, as a part may then still be
     * reading.
     */
    default void read() {}

    /**
     * Whether cutting costs a pass of its own over the request (finding where its rows start), worth it only
     * when another core takes parts: such a request is cut only while its service has a free slot with nobody
     * waiting, and read whole otherwise, as on a server whose cores are all busy.
     */
    default boolean cutsOnlyIntoIdleSlots() {
        return false;
    }
}
