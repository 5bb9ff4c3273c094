package io.graywatch.scraper;

import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.simulator.executor.SimulatorExecutor;
import io.graywatch.simulator.fleet.SimulatedFleet;
import io.graywatch.simulator.time.ManualClock;
import io.graywatch.simulator.traffic.NabSeries;
import io.graywatch.simulator.traffic.TrafficShape;
import org.hipparchus.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficFollowsNabTest {
    private static final String ELB = "realAWSCloudwatch/elb_request_count_8c0756.csv";

    @Test
    void theFleetsScrapedRequestRateFollowsTheNabSeries(@TempDir Path logs) {
        Instant t0 = Instant.parse("2026-11-22T04:30:00Z");
        ManualClock clock = new ManualClock(t0);
        int points = 200;
        try (SimulatedFleet fleet = SimulatedFleet.builder("shop").instances(3).logDir(logs).clock(clock).autoTick(false)
                .fleetRequestsPerSecond(300).trafficSeries(ELB).nabStartIndex(1000).secondsPerNabPoint(1).build().start();
             ScrapingMetricSource scraper = ScrapingMetricSource.builder(new SimulatorExecutor(fleet)::instances).app("shop")
                     .clock(clock).interval(Duration.ofSeconds(1)).build()) {
            scraper.scrapeOnce();
            for (int tick = 1; tick <= points * 5; tick++) {
                clock.advance(Duration.ofMillis(200));
                fleet.tick();
                if (tick % 5 == 0) scraper.scrapeOnce();
            }
            Observations o = scraper.fetch("shop", List.of("shop-1", "shop-2", "shop-3"), List.of(ScrapedMetrics.defaultSpecs().get(0)),
                    t0.getEpochSecond(), t0.getEpochSecond() + points, 0);
            TrafficShape nab = new TrafficShape(NabSeries.load(ELB), 1000, 1, 1);
            double[] fleetQps = new double[points];
            double[] expected = new double[points];
            for (String i : o.instances()) {
                Series s = o.series(i, ScrapedMetrics.QPS);
                assertThat(s.size()).isEqualTo(points);
                for (int k = 0; k < points; k++) fleetQps[k] += s.value(k);
            }
            // each scrape covers one NAB point's second: the mean of the linear segment
            for (int k = 0; k < points; k++) expected[k] = 300 * (nab.point(1000 + k) + nab.point(1001 + k)) / 2;
            assertThat(new PearsonsCorrelation().correlation(fleetQps, expected)).isGreaterThan(0.95);
            double total = 0, want = 0;
            for (int k = 0; k < points; k++) {
                total += fleetQps[k];
                want += expected[k];
            }
            assertThat(total / want).isBetween(0.9, 1.1);
        }
    }

}
