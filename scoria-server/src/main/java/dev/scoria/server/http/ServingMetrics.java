package dev.scoria.server.http;

import dev.scoria.core.scheduling.ServiceScheduler;
import dev.scoria.core.service.LiveServices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics: per service, requests by status, latency histogram, queue depth, requests in
 * flight, rejections and timeouts; plus JVM and process metrics. Per-service meters are made on the
 * first request, so an idle service costs nothing.
 */
public final class ServingMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LiveServices services;
    /** Per protocol, per service: the protocols are few and fixed, so two lookups and no key building. */
    private final Map<String, Map<String, ServiceMeters>> perProtocol = new ConcurrentHashMap<>();

    private final Map<String, Boolean> gauged = new ConcurrentHashMap<>();

    public ServingMetrics(LiveServices services) {
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

    /** Records one scoring request of {@code service}, called by {@code protocol}, that ended with {@code status}. */
    public void recordScore(String service, String protocol, int status, long nanos) {
        ServiceMeters meters = perProtocol
                .computeIfAbsent(protocol, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(service, s -> metersFor(s, protocol));
        meters.latency.record(nanos, TimeUnit.NANOSECONDS);
        meters.requests(status).increment();
    }

    private ServiceMeters metersFor(String service, String protocol) {
        if (gauged.putIfAbsent(service, Boolean.TRUE) == null) {
            gaugeScheduler(service);
        }
        return new ServiceMeters(
                service,
                protocol,
                Timer.builder("scoria.score.duration")
                        .description("Time from a scoring request's arrival to its answer")
                        .tag("service", service)
                        .tag("protocol", protocol)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(50_000))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .register(registry));
    }

    /** A service's latency timer and its request counters, one per HTTP status, made on first use. */
    private final class ServiceMeters {
        final String service;
        final String protocol;
        final Timer latency;
        final Counter[] byStatus = new Counter[600];

        ServiceMeters(String service, String protocol, Timer latency) {
            this.service = service;
            this.protocol = protocol;
            this.latency = latency;
        }

        Counter requests(int status) {
            int i = status >= 0 && status < byStatus.length ? status : 0;
            Counter c = byStatus[i];
            if (c == null) {
                // Micrometer returns the registered counter when two threads race here.
                c = Counter.builder("scoria.score.requests")
                        .description("Scoring requests by service, protocol and HTTP status")
                        .tag("service", service)
                        .tag("protocol", protocol)
                        .tag("status", String.valueOf(status))
                        .register(registry);
                byStatus[i] = c;
            }
            return c;
        }
    }

    private void gaugeScheduler(String service) {
        ServiceScheduler scheduler = services.scheduler(service);
        if (scheduler != null) {
            DistributionSummary sizes = DistributionSummary.builder("scoria.batch.size")
                    .description("Requests merged into one model call")
                    .tag("service", service)
                    .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                    .register(registry);
            scheduler.onBatch(sizes::record);
        }
        Gauge.builder("scoria.queue.depth", services, m -> {
                    ServiceScheduler s = m.scheduler(service);
                    return s == null ? 0 : s.queueDepth();
                })
                .description("Requests waiting for a scoring slot")
                .tag("service", service)
                .register(registry);
        Gauge.builder("scoria.requests.in.flight", services, m -> {
                    ServiceScheduler s = m.scheduler(service);
                    return s == null ? 0 : s.running();
                })
                .description("Requests scoring now")
                .tag("service", service)
                .register(registry);
        Gauge.builder("scoria.requests.rejected", services, m -> {
                    ServiceScheduler s = m.scheduler(service);
                    return s == null ? 0 : s.rejectedCount();
                })
                .description("Requests refused with 503 (no slot within maxQueueWaitMs), since start")
                .tag("service", service)
                .register(registry);
        Gauge.builder("scoria.requests.timed.out", services, m -> {
                    ServiceScheduler s = m.scheduler(service);
                    return s == null ? 0 : s.timedOutCount();
                })
                .description("Requests answered 504 (past scoringTimeoutMs), since start")
                .tag("service", service)
                .register(registry);
        Gauge.builder("scoria.model.load.seconds", services, m -> m.loadMillis(service) / 1000.0)
                .description("How long the service's last load took")
                .tag("service", service)
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
