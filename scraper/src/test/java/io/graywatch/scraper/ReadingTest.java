package io.graywatch.scraper;

import org.junit.jupiter.api.Test;

import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReadingTest {
    private static final int QPS = 0, ERR = 1, AVG = 2, P99 = 3, CPU = 4, MEM = 5, START = 6;

    /** A page as the simulator or Micrometer would serve it. */
    static String page(long ok, long failed, long[] cumulativeBuckets, double sumSeconds, double cpu, double memBytes, double start) {
        StringBuilder b = new StringBuilder();
        b.append("# TYPE http_server_requests_total counter\n");
        b.append("http_server_requests_total{status=\"2xx\"} ").append(ok).append('\n');
        b.append("http_server_requests_total{status=\"5xx\"} ").append(failed).append('\n');
        String[] le = {"0.05", "0.1", "0.2", "+Inf"};
        for (int i = 0; i < le.length; i++)
            b.append("http_server_request_duration_seconds_bucket{le=\"").append(le[i]).append("\"} ").append(cumulativeBuckets[i]).append('\n');
        b.append("http_server_request_duration_seconds_sum ").append(sumSeconds).append('\n');
        b.append("http_server_request_duration_seconds_count ").append(cumulativeBuckets[3]).append('\n');
        b.append("process_cpu_usage ").append(cpu).append('\n');
        b.append("jvm_memory_used_bytes{area=\"heap\"} ").append(memBytes / 2).append('\n');
        b.append("jvm_memory_used_bytes{area=\"nonheap\"} ").append(memBytes / 2).append('\n');
        b.append("process_start_time_seconds ").append(start).append('\n');
        return b.toString();
    }

    static Reading reading(long millis, String page) {
        return Reading.of(PrometheusTextParser.parse(page), millis);
    }

    @Test
    void firstScrapeGivesGaugesOnly() {
        double[] v = reading(10_000, page(100, 5, new long[]{50, 90, 100, 105}, 6.3, 0.25, 512 * 1048576.0, 1000)).derive(null);
        assertThat(v[CPU]).isCloseTo(25, within(1e-9));
        assertThat(v[MEM]).isCloseTo(512, within(1e-9));
        assertThat(v[START]).isEqualTo(1000);
        assertThat(v[QPS]).isNaN();
        assertThat(v[ERR]).isNaN();
        assertThat(v[P99]).isNaN();
    }

    @Test
    void ratesComeFromCounterDeltasBetweenScrapes() {
        Reading a = reading(10_000, page(100, 5, new long[]{50, 90, 100, 105}, 6.3, 0.2, 1e8, 1000));
        // 10 s later: 190 more ok, 10 more failed; 200 observations of which 100 <= 50 ms, 80 in (50,100], 18 in (100,200], 2 above
        Reading b = reading(20_000, page(290, 15, new long[]{150, 270, 298, 305}, 6.3 + 14, 0.3, 1e8, 1000));
        double[] v = b.derive(a);
        assertThat(v[QPS]).isCloseTo(20, within(1e-9));
        assertThat(v[ERR]).isCloseTo(5, within(1e-9));
        assertThat(v[AVG]).isCloseTo(70, within(1e-9));
        // rank 198 of 200 is the last observation of (0.1, 0.2]: 0.1 + 0.1 * (198 - 180) / 18 = 0.2 s
        assertThat(v[P99]).isCloseTo(200, within(1e-9));
    }

    @Test
    void quantileInterpolatesInsideTheBucketAndStopsAtTheLastFiniteBound() {
        TreeMap<Double, Double> h = new TreeMap<>();
        h.put(0.1, 50.0);
        h.put(0.2, 150.0);
        h.put(Double.POSITIVE_INFINITY, 200.0);
        assertThat(Reading.quantile(0.5, h)).isCloseTo(0.15, within(1e-12));
        assertThat(Reading.quantile(0.99, h)).isEqualTo(0.2);
        h.put(Double.POSITIVE_INFINITY, 150.0);
        assertThat(Reading.quantile(0.99, h)).isCloseTo(0.1 + 0.1 * (148.5 - 50) / 100, within(1e-12));
        h.clear();
        h.put(Double.POSITIVE_INFINITY, 0.0);
        assertThat(Reading.quantile(0.99, h)).isNaN();
        h.clear();
        h.put(0.1, 3.0);
        assertThat(Reading.quantile(0.99, h)).as("no +Inf bucket").isNaN();
    }

    @Test
    void aRestartStartsCountersFromZeroInsteadOfGivingNegativeRates() {
        Reading before = reading(100_000, page(10_000, 100, new long[]{5000, 9000, 10_000, 10_100}, 500, 0.2, 1e8, 50));
        // restarted at 102 s, scraped 20 s later: the rates cover those 20 s only
        Reading after = reading(122_000, page(380, 20, new long[]{200, 360, 390, 400}, 30, 0.4, 1e8, 102));
        double[] v = after.derive(before);
        assertThat(v[QPS]).isCloseTo(400 / 20.0, within(1e-9));
        assertThat(v[ERR]).isCloseTo(5, within(1e-9));
        assertThat(v[AVG]).isCloseTo(75, within(1e-9));
        assertThat(v[START]).isEqualTo(102);
    }

    @Test
    void aCounterThatWentDownIsAResetEvenWithoutAStartTime() {
        Reading before = reading(10_000, "http_server_requests_total{code=\"200\"} 500\nhttp_server_requests_total{code=\"503\"} 20\n");
        Reading after = reading(20_000, "http_server_requests_total{code=\"200\"} 95\nhttp_server_requests_total{code=\"503\"} 5\n");
        double[] v = after.derive(before);
        assertThat(v[QPS]).isCloseTo(10, within(1e-9));
        assertThat(v[ERR]).isCloseTo(5, within(1e-9));
        assertThat(v[START]).isNaN();
    }

    @Test
    void noRequestsBetweenScrapesIsAZeroRateButNoErrorRate() {
        String same = page(100, 5, new long[]{50, 90, 100, 105}, 6.3, 0.2, 1e8, 1000);
        double[] v = reading(20_000, same).derive(reading(10_000, same));
        assertThat(v[QPS]).isZero();
        assertThat(v[ERR]).isNaN();
        assertThat(v[AVG]).isNaN();
        assertThat(v[P99]).isNaN();
    }
}
