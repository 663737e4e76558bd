package dev.scoria.server.http;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.function.BooleanSupplier;

/**
 * An event loop's wait for I/O that polls for a short while before it sleeps. On a virtual machine, a core
 * whose only thread went to sleep halts, and waking it for the next request costs tens of microseconds:
 * more than a small request takes to score. A loop that answered a request is likely to get the next one
 * within that time (a client waiting on its answer sends again at once), so it first polls its sockets,
 * without blocking, for up to {@code pollNanos}, and sleeps only when nothing came. The poll gives up its
 * core to any other thread that is ready to run, and stops as soon as a task is queued to the loop, so
 * neither other work on the machine nor work handed to the loop waits for it. Idle, it costs {@code
 * pollNanos} of CPU after each burst of requests.
 *
 * <p>It does not poll while scoring runs away from the loops (in python worker processes, or on worker
 * threads: {@code mayPoll} says so). Then the next thing the loop handles is most often an answer that
 * takes milliseconds, and the core a polling loop holds is the one that work wants: with polling always
 * on, python requests at 8 connections on 2 cores had a p99 of 54-63 ms against 10 without it.
 */
final class PollBeforeSleep implements SelectStrategy {

    private final long pollNanos;
    private final BooleanSupplier mayPoll;

    /** @param mayPoll whether polling is worth its core now; asked before each look at the sockets */
    PollBeforeSleep(long pollNanos, BooleanSupplier mayPoll) {
        this.pollNanos = pollNanos;
        this.mayPoll = mayPoll;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get();
        }
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        SingleThreadEventExecutor tasks = loop instanceof SingleThreadEventExecutor s ? s : null;
        long until = System.nanoTime() + pollNanos;
        while (mayPoll.getAsBoolean()) {
            int ready = selectNow.get();
            if (ready > 0 || tasks != null && tasks.pendingTasks() > 0) {
                return ready;
            }
            Thread.yield();
            if (System.nanoTime() - until >= 0) {
                break;
            }
        }
        return SelectStrategy.SELECT;
    }
}
