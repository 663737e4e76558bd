package dev.scoria.server.http;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.transport.Transport;
import java.nio.channels.spi.SelectorProvider;
import java.util.function.BooleanSupplier;

/**
 * Vert.x's NIO transport with event loops that poll before they sleep ({@link PollBeforeSleep}); in every
 * other respect the NIO transport itself.
 */
public final class PollingTransport extends NioTransport {

    private final long pollNanos;
    private final BooleanSupplier mayPoll;

    private PollingTransport(long pollNanos, BooleanSupplier mayPoll) {
        this.pollNanos = pollNanos;
        this.mayPoll = mayPoll;
    }

    /**
     * NIO whose event loops poll for up to {@code pollMicros} before they sleep, while {@code mayPoll} says so
     * (no work runs away from the loops: {@code OffLoopWork.none}); plain NIO for 0.
     */
    public static Transport nio(long pollMicros, BooleanSupplier mayPoll) {
        if (pollMicros < 0) {
            throw new IllegalArgumentException("poll time is " + pollMicros + " µs: expected 0 or more");
        }
        if (pollMicros == 0) {
            return Transport.NIO;
        }
        return new TransportInternal("nio", true, null, new PollingTransport(pollMicros * 1_000L, mayPoll));
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return NioIoHandler.newFactory(SelectorProvider.provider(), () -> new PollBeforeSleep(pollNanos, mayPoll));
    }
}
