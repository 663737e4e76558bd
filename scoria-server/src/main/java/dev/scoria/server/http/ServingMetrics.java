package dev.scoria.server.http;

import dev.scoria.core.scheduling.ServiceScheduler;
import dev.scoria.core.service.ServiceManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics: per service, requests by status, latency histogram, queue depth, requests in
 * flight, rejections and timeouts; plus JVM and process metrics. Per-service meters are made on the
 * first request, so an idle service costs nothing.
 */
public final class ServingMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServiceManager services;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    public ServingMetrics(ServiceManager services) {
        this.services = services;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records one scoring request of {@code service} that ended with {@code status}. */
    public void recordScore(String service, int status, long nanos) {
        latency.computeIfAbsent(service, s -> Timer.builder("scoria.score.duration")
                .description("Time from a scoring request's arrival to its answer")
                .tag("service", s)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        counters.computeIfAbsent(service + "|" + status, k -> Counter.builder("scoria.score.requests")
                .description("Scoring requests by service and HTTP status")
                .tag("service", service).tag("status", String.valueOf(status))
                .register(registry)).increment();
        if (gauged.add(service)) {
            gaugeScheduler(service);
        }
    }

    private void gaugeScheduler(String service) {
        ServiceScheduler scheduler = services.scheduler(service);
        if (scheduler != null) {
            io.micrometer.core.instrument.DistributionSummary sizes = io.micrometer.core.instrument.DistributionSummary
                    .builder("scoria.batch.size").description("Requests merged into one model call")
                    .tag("service", service).serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128).register(registry);
            scheduler.onBatch(sizes::record);
        }
        Gauge.builder("scoria.queue.depth", services, m -> {
            ServiceScheduler s = m.scheduler(service);
            return s == null ? 0 : s.queueDepth();
        }).description("Requests waiting for a scoring slot").tag("service", service).register(registry);
        Gauge.builder("scoria.requests.in.flight", services, m -> {
            ServiceScheduler s = m.scheduler(service);
            return s == null ? 0 : s.running();
        }).description("Requests scoring now").tag("service", service).register(registry);
        Gauge.builder("scoria.requests.rejected", services, m -> {
            ServiceScheduler s = m.scheduler(service);
            return s == null ? 0 : s.rejectedCount();
        }).description("Requests refused with 503 (no slot within maxQueueWaitMs), since start").tag("service", service)
                .register(registry);
        Gauge.builder("scoria.requests.timed.out", services, m -> {
            ServiceScheduler s = m.scheduler(service);
            return s == null ? 0 : s.timedOutCount();
        }).description("Requests answered 504 (past scoringTimeoutMs), since start").tag("service", service).register(registry);
        Gauge.builder("scoria.model.load.seconds", services, m -> m.loadMillis(service) / 1000.0)
                .description("How long the service's last load took").tag("service", service).register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
