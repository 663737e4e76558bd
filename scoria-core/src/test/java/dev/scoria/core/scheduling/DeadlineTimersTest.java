package dev.scoria.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.service.ServiceLimits;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlineTimersTest {

    /** A request answered in time leaves no deadline behind: a minute's worth would fill the heap. */
    @Test
    void answeredRequestsLeaveNoDeadlineInTheQueue() throws Exception {
        ScheduledThreadPoolExecutor timers = DeadlineTimers.create(Executors.defaultThreadFactory());
        ExecutorService workers = Executors.newCachedThreadPool();
        try {
            ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(60_000, 2, 500), workers, timers);
            for (int i = 0; i < 1_000; i++) {
                s.<String>submitAsync(done -> {
                            done.accept("answer", null);
                            return () -> {};
                        })
                        .get(5, TimeUnit.SECONDS);
                s.submit(() -> "answer").get(5, TimeUnit.SECONDS);
            }
            // The last deadline is cancelled just after its answer is passed on.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!timers.getQueue().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(timers.getQueue()).isEmpty();
        } finally {
            workers.shutdownNow();
            timers.shutdownNow();
        }
    }
}
