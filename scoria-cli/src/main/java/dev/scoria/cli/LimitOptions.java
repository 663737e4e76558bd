package dev.scoria.cli;

import dev.scoria.client.DeploymentConfig;
import picocli.CommandLine.Option;

/**
 * A deployment's limits and batching, as {@code service deploy|update} and {@code deployment create|update}
 * take them. Options not given stay null: the server's default, or unchanged.
 */
final class LimitOptions {

    @Option(names = "--scoring-timeout-ms", description = "Longest a request may score (default 60000).")
    Integer scoringTimeoutMs;

    @Option(names = "--max-concurrent-requests", description = "Requests scored at once (default 1).")
    Integer maxConcurrent;

    @Option(names = "--max-queue-wait-ms", description = "Longest a request may wait to start (default 500).")
    Integer maxQueueWaitMs;

    @Option(
            names = "--max-batch-size",
            description = "Most waiting requests merged into one model call (default 32; 1: off).")
    Integer maxBatchSize;

    @Option(names = "--max-batch-delay-us", description = "How long a batch may wait for more requests (default 0).")
    Integer maxBatchDelayMicros;

    /** Sets the limits given on the command line on {@code config}. */
    DeploymentConfig.Builder applyTo(DeploymentConfig.Builder config) {
        return config.scoringTimeoutMs(scoringTimeoutMs)
                .maxConcurrentRequestsPerContainer(maxConcurrent)
                .maxQueueWaitMs(maxQueueWaitMs)
                .maxBatchSize(maxBatchSize)
                .maxBatchDelayMicros(maxBatchDelayMicros);
    }

    /** The limits given on the command line, and nothing else. */
    DeploymentConfig config() {
        return CliErrors.fromCommandLine(
                () -> applyTo(DeploymentConfig.builder()).build());
    }
}
