package dev.scoria.server.http;

import dev.scoria.core.scheduling.ServiceScheduler;
import dev.scoria.core.service.LiveServices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics: per service, requests by status, latency histogram, queue depth, requests in
 * flight, rejections and timeouts; plus JVM and process metrics. Per-service meters are made on the
 * first request, so an idle service costs nothing.
 */
public final class ServingMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LiveServices services;
    /** Per protocol, service and deployment: a few lookups and no key building per request. */
    private final Map<String, Map<String, Map<String, Meters>>> score = new ConcurrentHashMap<>();

    private final Map<String, Map<String, Map<String, Meters>>> mirror = new ConcurrentHashMap<>();

    private final Map<String, Boolean> gauged = new ConcurrentHashMap<>();

    public ServingMetrics(LiveServices services) {
        this.services = services;
        services.onDeploymentRemoved(this::forget);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Drops every series of a deployment that is no longer served here, so that none is left behind stale. */
    void forget(String service, String deployment) {
        for (Map<String, Map<String, Map<String, Meters>>> kind : List.of(score, mirror)) {
            for (Map<String, Map<String, Meters>> byService : kind.values()) {
                Map<String, Meters> byDeployment = byService.get(service);
                if (byDeployment != null) {
                    byDeployment.remove(deployment);
                }
            }
        }
        gauged.remove(service + "/" + deployment);
        for (Meter meter : List.copyOf(registry.getMeters())) {
            if (service.equals(meter.getId().getTag("service"))
                    && deployment.equals(meter.getId().getTag("deployment"))) {
                registry.remove(meter);
            }
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Records one scoring request answered by {@code deployment} of {@code service}, called by
     * {@code protocol}, that ended with {@code status}.
     */
    public void recordScore(String service, String deployment, String protocol, int status, long nanos) {
        record(score, "score", service, deployment, protocol, status, nanos);
    }

    /** Records one mirrored copy of a request, scored by {@code deployment} and answered to nobody. */
    public void recordMirror(String service, String deployment, String protocol, int status, long nanos) {
        record(mirror, "mirror", service, deployment, protocol, status, nanos);
    }

    private void record(
            Map<String, Map<String, Map<String, Meters>>> byProtocol,
            String kind,
            String service,
            String deployment,
            String protocol,
            int status,
            long nanos) {
        Meters meters = byProtocol
                .computeIfAbsent(protocol, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(deployment, d -> metersFor(kind, service, d, protocol));
        meters.latency.record(nanos, TimeUnit.NANOSECONDS);
        meters.requests(status).increment();
    }

    private Meters metersFor(String kind, String service, String deployment, String protocol) {
        if (gauged.putIfAbsent(service + "/" + deployment, Boolean.TRUE) == null) {
            gaugeScheduler(service, deployment);
        }
        boolean live = kind.equals("score");
        return new Meters(
                kind,
                service,
                deployment,
                protocol,
                Timer.builder("scoria." + kind + ".duration")
                        .description(
                                live
                                        ? "Time from a scoring request's arrival to its answer"
                                        : "Time a mirrored copy of a request took to score (nobody waits for it)")
                        .tag("service", service)
                        .tag("deployment", deployment)
                        .tag("protocol", protocol)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(50_000))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .register(registry));
    }

    /** One deployment's latency timer and its request counters, one per HTTP status, made on first use. */
    private final class Meters {
        final String kind;
        final String service;
        final String deployment;
        final String protocol;
        final Timer latency;
        final Counter[] byStatus = new Counter[600];

        Meters(String kind, String service, String deployment, String protocol, Timer latency) {
            this.kind = kind;
            this.service = service;
            this.deployment = deployment;
            this.protocol = protocol;
            this.latency = latency;
        }

        Counter requests(int status) {
            int i = status >= 0 && status < byStatus.length ? status : 0;
            Counter c = byStatus[i];
            if (c == null) {
                // Micrometer returns the registered counter when two threads race here.
                c = Counter.builder("scoria." + kind + ".requests")
                        .description(
                                kind.equals("score")
                                        ? "Scoring requests by service, deployment, protocol and HTTP status"
                                        : "Mirrored copies of requests by service, deployment, protocol and status")
                        .tag("service", service)
                        .tag("deployment", deployment)
                        .tag("protocol", protocol)
                        .tag("status", String.valueOf(status))
                        .register(registry);
                byStatus[i] = c;
            }
            return c;
        }
    }

    private void gaugeScheduler(String service, String deployment) {
        ServiceScheduler scheduler = services.scheduler(service, deployment);
        if (scheduler != null) {
            DistributionSummary sizes = DistributionSummary.builder("scoria.batch.size")
                    .description("Requests merged into one model call")
                    .tag("service", service)
                    .tag("deployment", deployment)
                    .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                    .register(registry);
            scheduler.onBatch(sizes::record);
        }
        gauge(
                "scoria.queue.depth",
                "Requests waiting for a scoring slot",
                service,
                deployment,
                ServiceScheduler::queueDepth);
        gauge("scoria.requests.in.flight", "Requests scoring now", service, deployment, ServiceScheduler::running);
        gauge(
                "scoria.requests.rejected",
                "Requests refused with 503 (no slot within maxQueueWaitMs), since start",
                service,
                deployment,
                ServiceScheduler::rejectedCount);
        gauge(
                "scoria.requests.timed.out",
                "Requests answered 504 (past scoringTimeoutMs), since start",
                service,
                deployment,
                ServiceScheduler::timedOutCount);
        Gauge.builder("scoria.model.load.seconds", services, m -> m.loadMillis(service, deployment) / 1000.0)
                .description("How long the deployment's last load took")
                .tag("service", service)
                .tag("deployment", deployment)
                .register(registry);
    }

    private void gauge(
            String name,
            String description,
            String service,
            String deployment,
            ToDoubleFunction<ServiceScheduler> read) {
        Gauge.builder(name, services, m -> {
                    ServiceScheduler s = m.scheduler(service, deployment);
                    return s == null ? 0 : read.applyAsDouble(s);
                })
                .description(description)
                .tag("service", service)
                .tag("deployment", deployment)
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
