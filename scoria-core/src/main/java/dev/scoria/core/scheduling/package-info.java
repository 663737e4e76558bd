/**
 * Per-service admission and scheduling: a concurrency limit, a bounded queue whose requests give up
 * after {@code maxQueueWaitMs}, and {@code scoringTimeoutMs}. Knows nothing of HTTP or of runtimes;
 * JDK only.
 */
package dev.scoria.core.scheduling;
