package dev.scoria.runtime.java;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a service's scorer runs on: named {@code scoria-scorer-<service>-N} so that a thread dump
 * says whose code is stuck, daemons so that a call that never returns cannot keep the server from
 * exiting, and with the scorer's class loader as context loader for the libraries that look there.
 */
final class ScorerThreads implements ThreadFactory {

    private final String prefix;
    private final ClassLoader loader;
    private final AtomicInteger count = new AtomicInteger();

    private ScorerThreads(String serviceName, ClassLoader loader) {
        this.prefix = "scoria-scorer-" + serviceName + "-";
        this.loader = loader;
    }

    /**
     * Unbounded on purpose: the server's admission control already bounds concurrent requests, and a
     * thread lost to a call that timed out must not take a slot from the requests after it.
     */
    static ExecutorService executor(String serviceName, ClassLoader loader) {
        return new ThreadPoolExecutor(
                0,
                Integer.MAX_VALUE,
                30,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                new ScorerThreads(serviceName, loader));
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + count.incrementAndGet());
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        return thread;
    }
}
