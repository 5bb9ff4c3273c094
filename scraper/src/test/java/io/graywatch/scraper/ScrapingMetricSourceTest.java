package io.graywatch.scraper;

import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.release.Instance;
import io.graywatch.simulator.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.graywatch.scraper.ReadingTest.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

class ScrapingMetricSourceTest {
    private static final Instant T0 = Instant.parse("2026-11-22T04:30:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final FakeTarget up = new FakeTarget();
    private final List<Instance> instances = new ArrayList<>();
    private final ScrapingMetricSource scraper = ScrapingMetricSource.builder(app -> instances)
            .app("shop").clock(clock).interval(Duration.ofSeconds(2)).retention(Duration.ofMinutes(1)).build();

    @AfterEach
    void close() {
        scraper.close();
        up.close();
    }

    private static long t(int seconds) {
        return T0.getEpochSecond() + seconds;
    }

    private Series series(String instance, String metric, long from, long to, long step) {
        MetricSpec spec = ScrapedMetrics.defaultSpecs().stream().filter(s -> s.name().equals(metric)).findFirst().orElse(ScrapedMetrics.startTimeSpec());
        return scraper.fetch("shop", List.of(instance), List.of(spec), from, to, step).series(instance, metric);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnreachableOrFailingTargetGivesGapsNotZeros() throws IOException {
        instances.add(new Instance("shop-1", "v1", up.address()));
        instances.add(new Instance("shop-2", "v1", "127.0.0.1:" + closedPort()));
        long ok = 0;
        for (int i = 0; i <= 10; i++) {
            ok += 100;
            up.page = page(ok, 1, new long[]{ok / 2, ok, ok, ok + 1}, ok * 0.05, 0.2, 1e8, 1000);
            up.status = i >= 4 && i <= 6 ? 500 : 200; // shop-1 fails three scrapes
            scraper.scrapeOnce();
            clock.advance(Duration.ofSeconds(2));
        }
        Series qps = series("shop-1", ScrapedMetrics.QPS, t(0), t(60), 0);
        // 11 scrapes, 3 failed, the first has no rate: 7 rates, none of them zero
        assertThat(qps.times()).containsExactly(t(2), t(4), t(6), t(14), t(16), t(18), t(20));
        assertThat(qps.finiteValues()).containsOnly(50.0);
        // across the failures the counters still give the right mean rate: 400 requests in 8 s
        assertThat(qps.value(3)).isCloseTo(50, within(1e-9));
        assertThat(series("shop-1", ScrapedMetrics.CPU, t(0), t(60), 0).size()).isEqualTo(8);

        Observations down = scraper.fetch("shop", List.of("shop-2"), ScrapedMetrics.defaultSpecs(), t(0), t(60), 0);
        ScrapedMetrics.NAMES.forEach(m -> assertThat(down.series("shop-2", m).isEmpty()).as(m).isTrue());
        assertThat(scraper.targets()).extracting(TargetStatus::instance, TargetStatus::healthy)
                .containsExactly(tuple("shop-1", true), tuple("shop-2", false));
        assertThat(scraper.targets().get(1).lastError()).contains("ConnectException");
    }

    @Test
    void aPageThatDoesNotParseIsAGapWithItsReason() {
        instances.add(new Instance("shop-1", "v1", up.address()));
        up.page = "http_server_requests_total{status=\"2xx\" 5\n";
        scraper.scrapeOnce();
        assertThat(series("shop-1", ScrapedMetrics.CPU, t(0), t(60), 0).isEmpty()).isTrue();
        assertThat(scraper.targets().get(0).lastError()).startsWith("bad metrics page: line 1");
    }

    @Test
    void keepsOnlyTheRetentionAndAnswersTheRequestedWindowAndStep() {
        instances.add(new Instance("shop-1", "v1", up.address()));
        for (int i = 0; i < 60; i++) { // two minutes, one scrape every 2 s
            up.page = page(0, 0, new long[]{0, 0, 0, 0}, 0, i / 100.0, 1e8, 1000);
            scraper.scrapeOnce();
            clock.advance(Duration.ofSeconds(2));
        }
        Series all = series("shop-1", ScrapedMetrics.CPU, t(0), t(200), 0);
        assertThat(all.time(0)).isEqualTo(t(58)); // a minute back from the last scrape at 118 s
        assertThat(all.size()).isEqualTo(31);

        Series window = series("shop-1", ScrapedMetrics.CPU, t(100), t(109), 0);
        assertThat(window.times()).containsExactly(t(100), t(102), t(104), t(106), t(108));

        // 10 s steps: samples 100..108 average to cpu 0.52 and are stamped at the last one
        Series stepped = series("shop-1", ScrapedMetrics.CPU, t(100), t(118), 10);
        assertThat(stepped.times()).containsExactly(t(108), t(118));
        assertThat(stepped.value(0)).isCloseTo(52, within(1e-9));
        assertThat(series("shop-1", ScrapedMetrics.START_TIME, t(100), t(118), 10).values()).containsExactly(1000, 1000);
    }

    @Test
    void aRoundReadsOnlyWhatAScrapeStillInFlightCannotAddTo() throws Exception {
        instances.add(new Instance("shop-1", "v1", up.address()));
        up.page = page(0, 0, new long[]{0, 0, 0, 0}, 0, 0.10, 1e8, 1000);
        scraper.scrapeOnce();
        clock.advance(Duration.ofSeconds(2));
        // the next scrape is stamped now, at 2 s, and its page is slow to come
        up.page = page(0, 0, new long[]{0, 0, 0, 0}, 0, 0.90, 1e8, 1000);
        CountDownLatch release = new CountDownLatch(1);
        up.hold = release;
        up.asked = new CountDownLatch(1);
        Thread inFlight = new Thread(scraper::scrapeOnce);
        inFlight.start();
        long settled;
        Series seen;
        try {
            assertThat(up.asked.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(1));
            // a round now, at 3 s, is judged as of 1 s: the samples up to 2 s are not final while the scrape stamped 2 s is out
            settled = scraper.settledAt(t(3));
            seen = series("shop-1", ScrapedMetrics.CPU, t(0), settled, 0);
        } finally {
            release.countDown();
            inFlight.join(10_000);
        }
        assertThat(settled).isEqualTo(t(1));
        assertThat(series("shop-1", ScrapedMetrics.CPU, t(0), settled, 0).times()).as("what a replay reads up to the round")
                .containsExactly(seen.times()).containsExactly(t(0));
        assertThat(series("shop-1", ScrapedMetrics.CPU, t(0), t(3), 0).values()).as("the scrape that was in flight").containsExactly(10, 90);

        // with no scrape out, everything before the current second is final; a scrape later this second is stamped with it
        assertThat(scraper.settledAt(t(3))).isEqualTo(t(2));
    }

    @Test
    void anInstanceThatWentAwayStaysReadableUntilItsDataAgesOut() {
        instances.add(new Instance("shop-1", "v1", up.address()));
        up.page = page(1, 0, new long[]{1, 1, 1, 1}, 0.01, 0.1, 1e8, 1000);
        scraper.scrapeOnce();
        instances.clear();
        clock.advance(Duration.ofSeconds(30));
        scraper.scrapeOnce();
        assertThat(series("shop-1", ScrapedMetrics.CPU, t(0), t(60), 0).size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(31));
        scraper.scrapeOnce();
        assertThat(scraper.targets()).isEmpty();
        assertThat(series("shop-1", ScrapedMetrics.CPU, t(0), t(100), 0).isEmpty()).isTrue();
    }

    @Test
    void unknownMetricsAndInstancesHaveNoSeriesAndABadWindowIsRefused() {
        instances.add(new Instance("shop-1", "v1", up.address()));
        up.page = page(1, 0, new long[]{1, 1, 1, 1}, 0.01, 0.1, 1e8, 1000);
        scraper.scrapeOnce();
        Observations o = scraper.fetch("shop", List.of("shop-1", "shop-9"),
                List.of(MetricSpec.of("orders_per_minute", null, null)), t(0), t(10), 0);
        assertThat(o.series("shop-1", "orders_per_minute").isEmpty()).isTrue();
        assertThat(o.instances()).isEmpty();
        assertThatThrownBy(() -> scraper.fetch("shop", List.of("shop-1"), ScrapedMetrics.defaultSpecs(), t(10), t(0), 0))
                .hasMessageContaining("after it ends");
        assertThatThrownBy(() -> ScrapingMetricSource.builder(app -> instances).interval(Duration.ZERO).build())
                .hasMessageContaining("interval");
    }

    @Test
    void scrapesOnItsOwnScheduleUntilStopped() throws InterruptedException {
        instances.add(new Instance("shop-1", "v1", up.address()));
        up.page = page(1, 0, new long[]{1, 1, 1, 1}, 0.01, 0.1, 1e8, 1000);
        ScrapingMetricSource live = ScrapingMetricSource.builder(app -> instances).app("shop").interval(Duration.ofMillis(50)).build();
        try {
            live.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && live.targets().stream().noneMatch(TargetStatus::healthy)) Thread.sleep(20);
            assertThat(live.targets()).singleElement().satisfies(s -> assertThat(s.healthy()).isTrue());
        } finally {
            live.stop();
        }
        long last = live.targets().get(0).lastSuccessMillis();
        Thread.sleep(200);
        assertThat(live.targets().get(0).lastSuccessMillis()).as("no scrape after stop").isEqualTo(last);
    }

    @Test
    void defaultSpecsNameTheSixMetricsWithTheirBadDirection() {
        assertThat(ScrapedMetrics.defaultSpecs()).extracting(MetricSpec::name)
                .containsExactly("qps", "error_rate", "latency_avg_ms", "latency_p99_ms", "cpu_percent", "memory_mb");
        assertThat(ScrapedMetrics.defaultSpecs()).extracting(s -> s.bad().id())
                .containsExactly("decrease", "increase", "increase", "increase", "increase", "increase");
        assertThat(ScrapedMetrics.defaultSpecs()).extracting(s -> s.role().name())
                .containsExactly("TRAFFIC", "ERROR_RATE", "LATENCY", "LATENCY", "RESOURCE", "RESOURCE");
        assertThat(ScrapedMetrics.startTimeSpec().role().name()).isEqualTo("OTHER");
        assertThat(ScrapingMetricSource.metricsUri("127.0.0.1:9100").toString()).isEqualTo("http://127.0.0.1:9100/metrics");
        assertThat(ScrapingMetricSource.metricsUri("http://10.0.0.1:8080/actuator/prometheus").toString()).isEqualTo("http://10.0.0.1:8080/actuator/prometheus");
    }
}
