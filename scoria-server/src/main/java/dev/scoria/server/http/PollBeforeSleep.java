package dev.scoria.server.http;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

/**
 * An event loop's wait for I/O that polls for a short while before it sleeps. On a virtual machine, a core
 * whose only thread went to sleep halts, and waking it for the next request costs tens of microseconds:
 * more than a small request takes to score. A loop that answered a request is likely to get the next one
 * within that time (a client waiting on its answer sends again at once), so it first polls its sockets,
 * without blocking, for up to {@code pollNanos}, and sleeps only when nothing came. The poll gives up its
 * core to any other thread that is ready to run, and stops as soon as a task is queued to the loop, so
 * neither other work on the machine nor work handed to the loop waits for it. Idle, it costs {@code
 * pollNanos} of CPU after each burst of requests.
 */
final class PollBeforeSleep implements SelectStrategy {

    private final long pollNanos;

    PollBeforeSleep(long pollNanos) {
        this.pollNanos = pollNanos;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get();
        }
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        SingleThreadEventExecutor tasks = loop instanceof SingleThreadEventExecutor s ? s : null;
        long until = System.nanoTime() + pollNanos;
        do {
            int ready = selectNow.get();
            if (ready > 0 || tasks != null && tasks.pendingTasks() > 0) {
                return ready;
            }
            Thread.yield();
        } while (System.nanoTime() - until < 0);
        return SelectStrategy.SELECT;
    }
}
