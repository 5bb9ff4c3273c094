package io.graywatch.scraper;

import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.release.Instance;
import io.graywatch.core.source.MetricSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The built-in scraper, Graywatch's zero-setup metric source: every interval it reads the
 * {@code /metrics} page of each instance of the watched apps, turns counters into per-second
 * rates between scrapes, and keeps the {@link ScrapedMetrics} of each instance in memory for the
 * retention period. A target that cannot be scraped leaves a gap, never a zero.
 *
 * <pre>{@code
 * ScrapingMetricSource scraper = ScrapingMetricSource.builder(executor::instances)
 *         .interval(Duration.ofSeconds(2)).app("shop").build();
 * scraper.start();
 * }</pre>
 */
public final class ScrapingMetricSource implements MetricSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ScrapingMetricSource.class.getName());

    private record Key(String app, String instance) {
    }

    /** What is known of one instance; changed only by the scraping round, under the source's lock. */
    private static final class Target {
        final InstanceHistory history;
        Reading last;
        volatile String address;
        volatile long lastSuccessMillis;
        volatile String lastError;

        Target(long retentionMillis) {
            history = new InstanceHistory(retentionMillis);
        }
    }

    private final TargetResolver resolver;
    private final Duration interval;
    private final Duration retention;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final Set<String> apps = ConcurrentHashMap.newKeySet();
    private final Map<Key, Target> targets = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    /** The stamp (ms) of the scrape whose pages are still being recorded, {@link Long#MAX_VALUE} when none is: see {@link #settledAt}. */
    private volatile long inFlightSince = Long.MAX_VALUE;

    private ScrapingMetricSource(Builder b) {
        this.resolver = b.resolver;
        this.interval = b.interval;
        this.retention = b.retention;
        this.timeout = b.timeout != null ? b.timeout : (interval.compareTo(Duration.ofSeconds(5)) < 0 ? interval : Duration.ofSeconds(5));
        this.clock = b.clock;
        this.apps.addAll(b.apps);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public static Builder builder(TargetResolver resolver) {
        return new Builder(resolver);
    }

    /** Starts scraping the app's instances from the next round on. */
    public void watch(String app) {
        apps.add(Objects.requireNonNull(app, "app"));
    }

    /** Stops scraping the app; what was scraped stays readable until it ages out. */
    public void unwatch(String app) {
        apps.remove(app);
    }

    public Set<String> apps() { return Set.copyOf(apps); }

    public Duration interval() { return interval; }

    /** Scrapes every interval on a background thread until {@link #stop()}. */
    public synchronized void start() {
        if (scheduler != null) return;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "graywatch-scraper");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::scrapeQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (scheduler == null) return;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void scrapeQuietly() {
        try {
            scrapeOnce();
        } catch (RuntimeException e) {
            // one bad round must not end the schedule
            LOG.log(System.Logger.Level.WARNING, "scrape round failed", e);
        }
    }

    /** One round: scrapes every instance of every watched app at once and records what each gave. */
    public synchronized void scrapeOnce() {
        // set before the stamp is taken, so that settledAt never sees a stamp it was not told of
        inFlightSince = clock.millis();
        try {
            scrapeAll();
        } finally {
            inFlightSince = Long.MAX_VALUE;
        }
    }

    private void scrapeAll() {
        long now = clock.millis();
        List<Key> keys = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> pages = new ArrayList<>();
        for (String app : apps) {
            List<Instance> instances;
            try {
                instances = resolver.instances(app);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot list the instances of app " + app + ": " + e.getMessage());
                continue;
            }
            for (Instance i : instances) {
                if (i.address() == null || i.address().isBlank()) continue;
                Key key = new Key(app, i.id());
                Target target = targets.computeIfAbsent(key, k -> new Target(retention.toMillis()));
                target.address = i.address();
                CompletableFuture<HttpResponse<String>> page;
                try {
                    page = http.sendAsync(HttpRequest.newBuilder(metricsUri(i.address())).timeout(timeout)
                            .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
                } catch (IllegalArgumentException e) {
                    page = CompletableFuture.failedFuture(e);
                }
                keys.add(key);
                pages.add(page);
            }
        }
        for (int k = 0; k < keys.size(); k++) record(targets.get(keys.get(k)), pages.get(k), now);
        // instances that went away (replaced pods, unwatched apps) are forgotten once their data has aged out
        Set<Key> seen = Set.copyOf(keys);
        targets.entrySet().removeIf(e -> !seen.contains(e.getKey()) && e.getValue().lastSuccessMillis < now - retention.toMillis());
    }

    private void record(Target target, CompletableFuture<HttpResponse<String>> page, long now) {
        try {
            // the request's timeout covers the headers; a page that stalls half-way is cut here
            HttpResponse<String> response = page.get(2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                target.lastError = "HTTP " + response.statusCode() + " from " + response.uri();
                return;
            }
            Reading reading = Reading.of(PrometheusTextParser.parse(response.body()), now);
            target.history.add(now, reading.derive(target.last));
            target.last = reading;
            target.lastSuccessMillis = now;
            target.lastError = null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            target.lastError = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } catch (TimeoutException e) {
            page.cancel(true);
            target.lastError = "no complete page within " + 2 * timeout.toMillis() + " ms";
        } catch (IllegalArgumentException e) {
            target.lastError = "bad metrics page: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A scrape is stamped when it starts and stored when its pages arrive, up to twice the timeout later; stamps are read in
     * whole seconds. So the samples are final up to the second before the scrape in flight started, and never further than
     * the second before now, as a scrape starting later this second takes its stamp.
     */
    @Override
    public long settledAt(long nowSeconds) {
        long inFlight = inFlightSince;
        long settled = nowSeconds - 1;
        return inFlight == Long.MAX_VALUE ? settled : Math.min(settled, Math.floorDiv(inFlight, 1000) - 1);
    }

    /** {@code host:port} scrapes {@code http://host:port/metrics}; a full URL is used as it is. */
    static URI metricsUri(String address) {
        String a = address.trim();
        if (a.startsWith("http://") || a.startsWith("https://")) return URI.create(a);
        return URI.create("http://" + a + "/metrics");
    }

    /** How scraping goes for every instance seen so far. */
    public List<TargetStatus> targets() {
        return targets.entrySet().stream()
                .map(e -> new TargetStatus(e.getKey().app(), e.getKey().instance(), e.getValue().address, e.getValue().lastSuccessMillis, e.getValue().lastError))
                .sorted(Comparator.comparing(TargetStatus::app).thenComparing(TargetStatus::instance))
                .toList();
    }

    /**
     * Answers from memory. Metrics other than {@link ScrapedMetrics#NAMES} and instances never
     * scraped have no series. With {@code stepSeconds} above 1, samples within a step are averaged.
     */
    @Override
    public Observations fetch(String app, Collection<String> instances, Collection<MetricSpec> metrics, long from, long to, long stepSeconds) {
        if (from > to) throw new IllegalArgumentException("window starts (" + from + ") after it ends (" + to + ")");
        if (stepSeconds < 0) throw new IllegalArgumentException("step must be >= 0 seconds, got " + stepSeconds);
        Observations.Builder b = Observations.builder();
        for (String instance : instances) {
            Target target = targets.get(new Key(app, instance));
            if (target == null) continue;
            for (MetricSpec m : metrics) {
                int index = ScrapedMetrics.NAMES.indexOf(m.name());
                if (index >= 0) b.put(instance, m.name(), target.history.series(index, from, to, stepSeconds, m.name().equals(ScrapedMetrics.START_TIME)));
            }
        }
        return b.build();
    }

    public static final class Builder {
        private final TargetResolver resolver;
        private Duration interval = Duration.ofSeconds(15);
        private Duration retention = Duration.ofHours(6);
        private Duration timeout;
        private Clock clock = Clock.systemUTC();
        private final List<String> apps = new ArrayList<>();

        private Builder(TargetResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        /** Time between scrapes (default 15 s). */
        public Builder interval(Duration v) { interval = v; return this; }

        /** How long samples are kept (default 6 h). */
        public Builder retention(Duration v) { retention = v; return this; }

        /** Connect and read timeout of one scrape (default: the interval, at most 5 s). */
        public Builder timeout(Duration v) { timeout = v; return this; }

        /** The clock that stamps samples (default: the system clock). */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }

        /** An app to scrape from the start; more with {@link ScrapingMetricSource#watch}. */
        public Builder app(String v) { apps.add(Objects.requireNonNull(v, "app")); return this; }

        public ScrapingMetricSource build() {
            if (interval == null || interval.toMillis() < 1) throw new IllegalArgumentException("scrape interval must be at least 1 ms, got " + interval);
            if (retention == null || retention.compareTo(interval) < 0)
                throw new IllegalArgumentException("retention (" + retention + ") must be at least the scrape interval (" + interval + ")");
            if (timeout != null && timeout.toMillis() < 1) throw new IllegalArgumentException("scrape timeout must be at least 1 ms, got " + timeout);
            return new ScrapingMetricSource(this);
        }
    }
}
