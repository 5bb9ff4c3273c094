package io.graywatch.agent;

import io.graywatch.agent.ship.Shipment;
import io.graywatch.agent.tail.LogTail;
import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogDetector;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From log files on disk to a log finding, through what the agent ships: the groups and counts of
 * each instance's shipments are all a guard needs (the server stores and serves exactly these).
 */
class LogPathToFindingTest {
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    static final long T = 1709287200L; // the release switches shop-1 to version 3

    static String at(long t, String rest) {
        return TS.format(Instant.ofEpochSecond(t)) + " " + rest + "\n";
    }

    @Test
    void aNewExceptionInTheReleasedInstancesLogIsFound(@TempDir Path dir) throws Exception {
        StringBuilder released = new StringBuilder(), reference = new StringBuilder();
        for (long t = T - 1800; t < T + 60; t += 30) {
            // a flaky timeout everywhere, before and after the release
            released.append(at(t, "ERROR [exec-1] c.e.shop.Http - timeout after " + (t % 5000) + " ms calling 10.0.0.7"));
            reference.append(at(t + 3, "ERROR [exec-4] c.e.shop.Http - timeout after " + (t % 4000) + " ms calling 10.0.0.9"));
        }
        for (long t = T + 2; t < T + 60; t += 6) {
            released.append(at(t, "ERROR [exec-2] c.e.shop.OrderController - order " + t + " failed")).append("""
                    java.lang.IllegalStateException: could not price order
                    \tat com.example.shop.PricingService$$SpringCGLIB$$0.price(<generated>)
                    \tat com.example.shop.OrderController.create(OrderController.java:41)
                    Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule
                    \tat com.example.shop.PricingService.rule(PricingService.java:120)
                    \t... 2 more
                    """);
        }
        Files.createDirectories(dir.resolve("shop-1"));
        Files.createDirectories(dir.resolve("shop-2"));
        Files.writeString(dir.resolve("shop-1/app.log"), released);
        Files.writeString(dir.resolve("shop-2/app.log"), reference);

        Map<String, io.graywatch.core.logs.LogGroup> groups = new HashMap<>();
        List<LogCount> counts = new ArrayList<>();
        for (String instance : List.of("shop-1", "shop-2")) {
            String glob = dir.resolve(instance + "/*.log").toString();
            try (LogTail tail = new LogTail(LogTail.Options.of(List.of(glob)).withFromStart(true).withQuietPeriods(Duration.ZERO, Duration.ZERO),
                    () -> T + 60)) {
                tail.poll();
                tail.poll();
                Shipment s = Shipment.of(instance + "-1", "shop", instance, Agent.VERSION, 1, 1, T + 60, 10, tail.drain(),
                        new Shipment.Stats(0, 0, 0, 0, 0, 0, 1), Shipment.Dropped.NONE);
                Shipment shipped = Shipment.fromJson(s.toJson());
                shipped.groups().forEach(g -> groups.putIfAbsent(g.id(), g.toLogGroup()));
                counts.addAll(shipped.logCounts());
            }
        }
        ReleaseView release = new ReleaseView("shop", "2", "3", T, List.of(new Batch(1, T, List.of("shop-1"), false)), null);
        GuardInput in = new GuardInput(release, T + 60, 5, Map.of(), Set.of("shop-1", "shop-2"), Observations.empty(),
                new LogData(groups, counts, 10), GuardConfig.defaults());

        // a dangerous type fails even in the deploy warm-up (60 s by default), and the flaky timeout is not a finding;
        // without the funnel's rule stage around it, the detector reports the dangerous type itself
        List<Finding> findings = new LogDetector(LogDetector.Config.defaults().withDangerousAsRule(true)).detect(in);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.reason()).isEqualTo("new exception java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule (a dangerous type) "
                    + "on 1 released instance, 10 times in 60 s, never seen before the release or on the reference instances, so far only during the deploy warm-up");
            assertThat(f.evidence()).containsEntry("dangerous", 1.0).containsEntry("warmupOnly", 1.0);
            assertThat(f.instances()).containsExactly("shop-1");
        });
    }
}
