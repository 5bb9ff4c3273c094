package io.graywatch.scraper;

import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.simulator.executor.SimulatorExecutor;
import io.graywatch.simulator.fault.ExceptionFault;
import io.graywatch.simulator.fault.ShopFaults;
import io.graywatch.simulator.fault.VersionProfile;
import io.graywatch.simulator.fleet.SimulatedFleet;
import io.graywatch.simulator.time.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A fleet of four on a hand-moved clock, scraped over real HTTP: 20 s on v1, then shop-1 gets a
 * faulty v3 (+5% errors), shop-2 a healthy v2, shop-3 a slow v4, shop-4 a leaking v5 and shop-5 a
 * v6 that loses 60% of its traffic, for two more minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetScrapingTest {
    private static final Instant T0 = Instant.parse("2026-11-22T04:30:00Z");
    private static final long DEPLOY = T0.getEpochSecond() + 20;
    private static final long END = DEPLOY + 120;
    /** After the restart (3 s ± 20%) and the warm-up (5 s). */
    private static final long SETTLED = DEPLOY + 10;

    private final ManualClock clock = new ManualClock(T0);
    private SimulatedFleet fleet;
    private ScrapingMetricSource scraper;
    private Path logs;

    @BeforeAll
    void runTheScenario() throws Exception {
        logs = Files.createTempDirectory("fleet-scraping");
        ExceptionFault cnfe = ShopFaults.classNotFound("com.example.shop.pricing.DiscountRule", 0.5);
        fleet = SimulatedFleet.builder("shop").instances(5).logDir(logs).clock(clock).autoTick(false).seed(11)
                .fleetRequestsPerSecond(800)
                .version(VersionProfile.builder("v3").extraErrorPercent(5).exception(cnfe).build())
                .version(VersionProfile.healthy("v2"))
                .version(VersionProfile.builder("v4").latencyFactor(2).extraLatencyMs(50).build())
                .version(VersionProfile.builder("v5").cpuLeakPercentPerMinute(20).memoryLeakMbPerMinute(300).build())
                .version(VersionProfile.builder("v6").trafficLossPercent(60).build())
                .build().start();
        SimulatorExecutor executor = new SimulatorExecutor(fleet);
        scraper = ScrapingMetricSource.builder(executor::instances).app("shop").clock(clock).interval(Duration.ofSeconds(2)).build();
        run(20);
        executor.deploy("shop", List.of("shop-1"), "v3");
        executor.deploy("shop", List.of("shop-2"), "v2");
        executor.deploy("shop", List.of("shop-3"), "v4");
        executor.deploy("shop", List.of("shop-4"), "v5");
        executor.deploy("shop", List.of("shop-5"), "v6");
        run(120);
    }

    /** Ticks every 200 ms and scrapes every 2 s, as the demo does in real time. */
    private void run(int seconds) {
        for (int tick = 1; tick <= seconds * 5; tick++) {
            clock.advance(Duration.ofMillis(200));
            fleet.tick();
            if (tick % 10 == 0) scraper.scrapeOnce();
        }
    }

    @AfterAll
    void stop() {
        scraper.close();
        fleet.close();
    }

    private Series series(String instance, String metric, long from, long to) {
        Observations o = scraper.fetch("shop", List.of(instance), List.of(ScrapedMetrics.startTimeSpec()), from, to, 0);
        return metric.equals(ScrapedMetrics.START_TIME) ? o.series(instance, metric)
                : scraper.fetch("shop", List.of(instance), ScrapedMetrics.defaultSpecs(), from, to, 0).series(instance, metric);
    }

    private double mean(String instance, String metric, long from, long to) {
        return Arrays.stream(series(instance, metric, from, to).finiteValues()).average().orElseThrow();
    }

    @Test
    void theMetricsPageParsesAndHasEveryFamily() throws Exception {
        String address = fleet.instance("shop-2").address();
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + address + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Exposition page = PrometheusTextParser.parse(body);
        assertThat(page.types()).containsEntry("http_server_requests_total", "counter")
                .containsEntry("http_server_request_duration_seconds", "histogram")
                .containsEntry("process_cpu_usage", "gauge").containsEntry("jvm_memory_used_bytes", "gauge")
                .containsEntry("process_start_time_seconds", "gauge").containsEntry("app_version_info", "gauge");
        assertThat(page.samples("http_server_requests_total")).extracting(s -> s.label("status")).containsExactly("2xx", "5xx");
        assertThat(page.samples("http_server_request_duration_seconds_bucket")).last().satisfies(s -> {
            assertThat(s.label("le")).isEqualTo("+Inf");
            assertThat(s.value()).isEqualTo(page.sum("http_server_request_duration_seconds_count")).isPositive();
        });
        assertThat(page.sum("http_server_request_duration_seconds_sum")).isPositive();
        assertThat(page.sum("process_cpu_usage")).isBetween(0.0, 1.0);
        assertThat(page.sum("jvm_memory_used_bytes")).isGreaterThan(100e6);
        assertThat(page.samples("app_version_info")).singleElement().satisfies(s -> {
            assertThat(s.label("version")).isEqualTo("v2");
            assertThat(s.value()).isEqualTo(1);
        });
        assertThat(page.sum("process_start_time_seconds")).isCloseTo(fleet.instance("shop-2").startMillis() / 1000.0, within(1e-3));
    }

    @Test
    void theFaultyVersionsErrorRateIsMeasuredCloseToItsSetting() {
        // base 0.2% + 5 points
        assertThat(mean("shop-1", ScrapedMetrics.ERROR_RATE, SETTLED, END)).isCloseTo(5.2, within(1.0));
        assertThat(mean("shop-2", ScrapedMetrics.ERROR_RATE, SETTLED, END)).isLessThan(1.0);
        assertThat(mean("shop-1", ScrapedMetrics.ERROR_RATE, T0.getEpochSecond(), DEPLOY)).as("before the release").isLessThan(1.0);
    }

    @Test
    void latencyCpuAndMemoryFaultsShowInTheScrapedMetrics() {
        double healthyAvg = mean("shop-2", ScrapedMetrics.LATENCY_AVG, SETTLED, END);
        // log-normal, median 40 ms: mean about 44 ms; twice that plus 50 ms on v4
        assertThat(healthyAvg).isBetween(35.0, 55.0);
        assertThat(mean("shop-3", ScrapedMetrics.LATENCY_AVG, SETTLED, END)).isCloseTo(2 * healthyAvg + 50, within(15.0));
        assertThat(mean("shop-3", ScrapedMetrics.LATENCY_P99, SETTLED, END)).isGreaterThan(2 * mean("shop-2", ScrapedMetrics.LATENCY_P99, SETTLED, END));

        // 20 points a minute and 300 MB a minute since the restart: in the last 20 s about +37 points and +550 MB
        double cpuGap = mean("shop-4", ScrapedMetrics.CPU, END - 20, END) - mean("shop-2", ScrapedMetrics.CPU, END - 20, END);
        assertThat(cpuGap).isBetween(25.0, 50.0);
        double memGap = mean("shop-4", ScrapedMetrics.MEMORY, END - 20, END) - mean("shop-2", ScrapedMetrics.MEMORY, END - 20, END);
        assertThat(memGap).isBetween(400.0, 700.0);
        assertThat(mean("shop-4", ScrapedMetrics.MEMORY, END - 20, END) - mean("shop-4", ScrapedMetrics.MEMORY, SETTLED, SETTLED + 10)).isGreaterThan(350);
    }

    @Test
    void lostTrafficShowsAsLowerQps() {
        double ratio = mean("shop-5", ScrapedMetrics.QPS, SETTLED, END) / mean("shop-2", ScrapedMetrics.QPS, SETTLED, END);
        assertThat(ratio).isBetween(0.3, 0.5);
    }

    @Test
    void aRestartShowsAsANewStartTimeAndDoesNotBreakTheRates() {
        Series start = series("shop-1", ScrapedMetrics.START_TIME, T0.getEpochSecond(), END);
        assertThat(Arrays.stream(start.values()).distinct()).containsExactly((double) T0.getEpochSecond(), (double) DEPLOY);
        Series qps = series("shop-1", ScrapedMetrics.QPS, T0.getEpochSecond(), END);
        assertThat(Arrays.stream(qps.finiteValues()).min().orElseThrow()).isNotNegative();
        // while it restarted it answered 503: a gap, not a zero
        long[] t = qps.times();
        assertThat(t).doesNotContain(DEPLOY + 2);
        assertThat(mean("shop-1", ScrapedMetrics.QPS, SETTLED, END)).isGreaterThan(50);
    }

    @Test
    void theFaultyVersionsLogHasItsNewException() throws Exception {
        String log = Files.readString(logs.resolve("shop-1.log"));
        String before = log.substring(0, log.indexOf("Starting ShopApplication v3"));
        assertThat(before).doesNotContain("ClassNotFoundException");
        assertThat(log).contains("java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule\n\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(")
                .contains("Caused by: java.util.zip.ZipException: invalid LOC header (bad signature)\n\tat java.base/java.util.zip.ZipFile$")
                .containsPattern("BuiltinClassLoader\\.findClassOnClassPathOrNull\\(BuiltinClassLoader\\.java:741\\)\n\t\\.\\.\\. \\d+ more\n");
        assertThat(Files.readString(logs.resolve("shop-2.log"))).doesNotContain("ClassNotFoundException");
    }
}
