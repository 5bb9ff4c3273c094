package io.graywatch.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.prometheus.FakeInstances.Instance;
import io.graywatch.prometheus.FakeInstances.Traffic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Against the real Prometheus that run-tests starts on 127.0.0.1:9090 (scraping every 5 s, file_sd
 * refreshed every 2 s): fake instances with known values are registered, scraped a few times, and
 * read back through the default templates.
 */
class RealPrometheusTest {
    static final URI PROMETHEUS = URI.create("http://127.0.0.1:9090");
    static final String A = "shop-1.zone(a)", B = "10.0.0.7:8080", C = "shop+3";
    static final double MIB = 1024 * 1024;
    // a fresh app each run: Prometheus keeps what earlier runs left
    static final String APP = "gw-prom-test-" + System.currentTimeMillis();
    static final List<String> IDS = List.of(A, B, C);

    static FakeInstances fleet;
    /** From this moment on (Unix seconds) every rate's window is full of scrapes. */
    static long exactFrom;

    @BeforeAll
    static void registerAndWaitForScrapes() throws Exception {
        fleet = new FakeInstances(APP, List.of(
                // 10 req/s, 90% in (25, 50] ms and 10% in (50, 100] ms: p99 = 50 + 0.9 × 50 = 95 ms
                new Instance(A, List.of(new Traffic("/a", "200", 10)), new double[]{0, 0, 0.9, 0.1, 0, 0, 0, 0}, 45, 0.25, 100 * MIB, 28 * MIB),
                // 20 req/s over two uris, 1 of them 5xx: 5%; 50% ≤ 100 ms, 40% (100, 250], 10% (250, 500]: p99 = 250 + 0.9 × 250 = 475 ms
                new Instance(B, List.of(new Traffic("/a", "200", 14), new Traffic("/a", "500", 1), new Traffic("/b", "200", 5)),
                        new double[]{0, 0, 0, 0.5, 0.4, 0.1, 0, 0}, 200, 0.6, 200 * MIB, 56 * MIB),
                // idle: its counters exist and stay at 0
                new Instance(C, List.of(new Traffic("/a", "200", 0)), new double[]{0, 0, 0, 1, 0, 0, 0, 0}, 10, 0.05, 48 * MIB, 16 * MIB)));
        // rate() over the 60 s window is exact once the window is full of scrapes: a minute and a scrape after the first one
        long deadline = System.currentTimeMillis() + 120_000;
        while (fleet.allScrapedSince(IDS.size()) < 0 || System.currentTimeMillis() / 1000 < fleet.allScrapedSince(IDS.size()) + 66
                || scrapesOfSlowestInstance() < 12) {
            assertThat(System.currentTimeMillis()).as("Prometheus scraped every fake instance for 66 s within 120 s").isLessThan(deadline);
            Thread.sleep(500);
        }
        exactFrom = fleet.allScrapedSince(IDS.size()) + 61;
    }

    @AfterAll
    static void unregister() {
        if (fleet != null) fleet.close();
    }

    /** How far, as a share of the expected value, scrape jitter may move a rate. */
    private static final double JITTER = 0.01;

    /** How often Prometheus has scraped the least scraped fake instance, from its own {@code up} series. */
    private static long scrapesOfSlowestInstance() throws IOException, InterruptedException {
        String q = "count_over_time(up{app=\"" + APP + "\"}[5m])";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                PROMETHEUS.resolve("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode result = new ObjectMapper().readTree(r.body()).path("data").path("result");
        if (result.size() < IDS.size()) return 0;
        long min = Long.MAX_VALUE;
        for (JsonNode s : result) min = Math.min(min, Math.round(s.path("value").path(1).asDouble()));
        return min;
    }

    private static List<MetricSpec> metrics(String... names) {
        return java.util.Arrays.stream(names).map(n -> MetricSpec.of(n, MetricKind.MIDDLEWARE, Bad.EITHER)).toList();
    }

    private static Observations fetch(PrometheusMetricSource source, List<String> instances, String... names) {
        long now = System.currentTimeMillis() / 1000;
        return source.fetch(APP, instances, metrics(names), now - 120, now, 5);
    }

    /**
     * Every sample read once the rate window is full is the value exposed. Rates are exact only up
     * to scrape jitter: the fake counters grow with wall time and are read a little after Prometheus
     * stamps the scrape, so on a loaded machine a rate may be off by a fraction of a percent.
     */
    private static void assertAll(Observations o, String instance, String metric, double expected, double tolerance) {
        Series s = o.series(instance, metric).between(exactFrom, Long.MAX_VALUE);
        double allowed = Math.max(tolerance, Math.abs(expected) * JITTER);
        assertThat(values(s)).as("%s of %s", metric, instance).isNotEmpty()
                .allSatisfy(v -> assertThat(v).as("%s of %s", metric, instance).isCloseTo(expected, within(allowed)));
        for (int i = 0; i < s.size(); i++) assertThat(s.time(i) % 5).as("samples at multiples of the step").isZero();
    }

    private static List<Double> values(Series s) {
        return java.util.Arrays.stream(s.finiteValues()).boxed().toList();
    }

    @Test
    void readsEachInstancesSeriesWithTheDefaultTemplates() {
        PrometheusMetricSource source = PrometheusMetricSource.builder(PROMETHEUS).timeout(Duration.ofSeconds(5)).build();
        Observations o = fetch(source, List.of(A, B, C, "ghost-9"),
                "qps", "error_rate", "latency_avg_ms", "latency_p99_ms", "cpu_percent", "memory_mb", "start_time");

        assertAll(o, A, "qps", 10, 1e-3);
        assertAll(o, B, "qps", 20, 1e-3);
        assertAll(o, C, "qps", 0, 1e-9);
        assertAll(o, A, "error_rate", 0, 1e-9);
        assertAll(o, B, "error_rate", 5, 1e-3);
        assertThat(o.series(C, "error_rate").finiteValues()).as("no requests: no error rate, a gap rather than 0").isEmpty();
        assertAll(o, A, "latency_avg_ms", 45, 1e-3);
        assertAll(o, B, "latency_avg_ms", 200, 1e-3);
        assertThat(o.series(C, "latency_avg_ms").finiteValues()).isEmpty();
        assertAll(o, A, "latency_p99_ms", 95, 0.01);
        assertAll(o, B, "latency_p99_ms", 475, 0.01);
        assertThat(o.series(C, "latency_p99_ms").finiteValues()).isEmpty();
        assertAll(o, A, "cpu_percent", 25, 1e-6);
        assertAll(o, B, "cpu_percent", 60, 1e-6);
        assertAll(o, A, "memory_mb", 128, 1e-6);
        assertAll(o, B, "memory_mb", 256, 1e-6);
        assertAll(o, C, "memory_mb", 64, 1e-6);
        assertAll(o, A, "start_time", fleet.startSeconds(), 1);

        assertThat(o.instances()).as("an instance Prometheus does not know has no samples").doesNotContain("ghost-9");
        assertThat(fetch(source, List.of(B), "qps").instances()).as("only the instances asked for").containsExactly(B);
    }

    @Test
    void readsAMetricWithTheAppsOwnQuery() {
        PrometheusMetricSource source = PrometheusMetricSource.builder(PROMETHEUS).queries((app, metric) -> metric.equals("ok_per_min")
                ? "60 * sum by (instance) (rate(http_server_requests_seconds_count{app=\"$app\",instance=~\"$instances\",status=\"200\"}[$window]))"
                : null).build();
        Observations o = fetch(source, List.of(A, B), "ok_per_min");
        assertAll(o, A, "ok_per_min", 600, 0.1);
        assertAll(o, B, "ok_per_min", 1140, 0.1);
    }

    @Test
    void readsARangeLongerThanOneQueryMayAsk() {
        PrometheusMetricSource source = PrometheusMetricSource.builder(PROMETHEUS).build();
        long now = System.currentTimeMillis() / 1000;
        Observations o = source.fetch(APP, List.of(A), metrics("cpu_percent"), now - 4 * 3600, now, 1);
        assertThat(values(o.series(A, "cpu_percent"))).isNotEmpty().allSatisfy(v -> assertThat(v).isCloseTo(25, within(1e-6)));
    }

    @Test
    void aWindowUpToWhereAnswersSettledReadsTheSameAScrapeLater() throws InterruptedException {
        // what a guard round judges is what its recording holds and a replay sees: no scrape may land in it afterwards
        PrometheusMetricSource source = PrometheusMetricSource.builder(PROMETHEUS).build();
        long now = System.currentTimeMillis() / 1000, settled = source.settledAt(now);
        assertThat(settled).isEqualTo(now - 15);
        List<MetricSpec> read = metrics("qps", "error_rate", "latency_p99_ms", "cpu_percent");
        Observations first = source.fetch(APP, IDS, read, settled - 60, settled, 5);
        // Prometheus scrapes every 5 s here
        Thread.sleep(6_000);
        Observations later = source.fetch(APP, IDS, read, settled - 60, settled, 5);
        for (String instance : List.of(A, B))
            for (MetricSpec m : read)
                assertThat(later.series(instance, m.name())).as("%s of %s", m.name(), instance)
                        .isEqualTo(first.series(instance, m.name()))
                        .matches(s -> !s.isEmpty() && s.time(s.size() - 1) == Math.floorDiv(settled, 5) * 5, "reaching the last step before the settled moment");
    }

    @Test
    void settleTimeIsZeroOrMoreAndSaysSo() {
        assertThat(PrometheusMetricSource.builder(PROMETHEUS).settle(Duration.ZERO).build().settledAt(1000)).isEqualTo(1000);
        assertThat(PrometheusMetricSource.builder(PROMETHEUS).settle(Duration.ofMillis(30_500)).build().settledAt(1000)).isEqualTo(969);
        assertThatThrownBy(() -> PrometheusMetricSource.builder(PROMETHEUS).settle(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Prometheus settle time must be 0 s or more, got PT-1S");
    }

    @Test
    void badPromQLIsAnErrorNamingTheMetricTheQueryAndWhatPrometheusSaid() {
        PrometheusMetricSource source = PrometheusMetricSource.builder(PROMETHEUS)
                .queries((app, metric) -> "sum by (instance) (rate(x{instance=~\"$instances\"}[$window])").build();
        assertThatThrownBy(() -> fetch(source, List.of(A), "qps"))
                .isInstanceOf(PrometheusException.class)
                .hasMessageStartingWith("cannot read metric 'qps' of app '" + APP + "' from Prometheus at http://127.0.0.1:9090/: HTTP 400, bad_data: ")
                .hasMessageContaining("parse error")
                .hasMessageEndingWith("; query: sum by (instance) (rate(x{instance=~\"shop-1\\\\.zone\\\\(a\\\\)\"}[60s])");
    }

    @Test
    void aWrongPathIsAnHttpError() {
        PrometheusMetricSource source = PrometheusMetricSource.builder(URI.create("http://127.0.0.1:9090/no-such-prefix")).build();
        assertThatThrownBy(() -> fetch(source, List.of(A), "cpu_percent"))
                .hasMessageStartingWith("cannot read metric 'cpu_percent' of app '" + APP + "' from Prometheus at http://127.0.0.1:9090/no-such-prefix/: HTTP 404, 404 page not found; query: ");
    }

    @Test
    void aPrometheusThatIsDownIsAnErrorNamingTheMetric() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrometheusMetricSource source = PrometheusMetricSource.builder(URI.create("http://127.0.0.1:" + port)).timeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> fetch(source, List.of(A), "qps"))
                .isInstanceOf(PrometheusException.class)
                .hasMessageStartingWith("cannot read metric 'qps' of app '" + APP + "' from Prometheus at http://127.0.0.1:" + port + "/: cannot reach it (ConnectException")
                .hasMessageContaining("; query: sum by (instance) (rate(http_server_requests_seconds_count{app=\"" + APP + "\"");
    }

    @Test
    void aQueryThatLosesTheInstanceLabelIsRefusedRatherThanGuessed() {
        PrometheusMetricSource source = PrometheusMetricSource.builder(PROMETHEUS)
                .queries((app, metric) -> "sum(process_cpu_usage{app=\"$app\",instance=~\"$instances\"})").build();
        assertThatThrownBy(() -> fetch(source, List.of(A, B), "cpu_percent"))
                .hasMessageContaining(": a result series has no 'instance' label ({}): keep it, e.g. sum by (instance) (...); query: ");
        PrometheusMetricSource perArea = PrometheusMetricSource.builder(PROMETHEUS)
                .queries((app, metric) -> "jvm_memory_used_bytes{app=\"$app\",instance=~\"$instances\"}").build();
        assertThatThrownBy(() -> fetch(perArea, List.of(A), "memory_mb"))
                .hasMessageContaining(": several series for instance 'shop-1.zone(a)': aggregate them, e.g. sum by (instance) (...); query: ");
    }

    @Test
    void noInstancesNeedNoQuery() {
        PrometheusMetricSource down = PrometheusMetricSource.builder(URI.create("http://127.0.0.1:1")).build();
        assertThat(down.fetch(APP, List.of(), metrics("qps"), 0, 100, 5).instances()).isEmpty();
    }
}
