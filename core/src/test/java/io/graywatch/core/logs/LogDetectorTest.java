package io.graywatch.core.logs;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class LogDetectorTest {
    static final long T = 1_700_000_000L; // the batch switches i1 and i2 to the new version
    static final long B = 10;
    static final List<String> ALL = List.of("i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8");
    static final List<String> RELEASED = List.of("i1", "i2");

    static final LogGroup CNFE = new LogGroup("cnfe", LogGroup.Kind.EXCEPTION, "ERROR", "java.lang.IllegalStateException",
            "java.lang.ClassNotFoundException", "java.lang.IllegalStateException @ com.example.shop.PricingService.price | root java.lang.ClassNotFoundException",
            "2024-03-01 10:00:00 ERROR c.e.Shop - pricing failed\njava.lang.IllegalStateException: could not price\n\tat com.example.shop.PricingService.price(PricingService.java:88)\n"
                    + "Caused by: java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule\n\tat com.example.shop.PricingService.rule(PricingService.java:120)");
    static final LogGroup ISE = new LogGroup("ise", LogGroup.Kind.EXCEPTION, "ERROR", "java.lang.IllegalStateException",
            "java.lang.IllegalStateException", "java.lang.IllegalStateException @ com.example.shop.Cart.total",
            "java.lang.IllegalStateException: cart is empty\n\tat com.example.shop.Cart.total(Cart.java:12)");
    static final LogGroup TIMEOUT = new LogGroup("timeout", LogGroup.Kind.EXCEPTION, "ERROR", "java.net.SocketTimeoutException",
            "java.net.SocketTimeoutException", "java.net.SocketTimeoutException @ com.example.shop.Stock.check",
            "java.net.SocketTimeoutException: Read timed out\n\tat com.example.shop.Stock.check(Stock.java:40)");
    static final LogGroup LOGIN_REF = new LogGroup("login-ref", LogGroup.Kind.TEMPLATE, "ERROR", null, null, "user <*> login failed", "user bob login failed");
    static final LogGroup LOGIN_REL = new LogGroup("login-rel", LogGroup.Kind.TEMPLATE, "ERROR", null, null, "user alice login failed", "user alice login failed");

    final Map<String, LogGroup> groups = new HashMap<>();
    final List<LogCount> counts = new ArrayList<>();

    /** {@code perBucket} events of the group in every bucket of [from, to) on each instance. */
    void events(LogGroup g, List<String> instances, long from, long to, long perBucket) {
        groups.put(g.id(), g);
        for (String i : instances) for (long b = from; b < to; b += B) counts.add(new LogCount(b, i, g.id(), perBucket));
    }

    GuardInput input(long now, GuardConfig config, Map<String, MetricSpec> metrics, Observations obs) {
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, RELEASED, false)), null);
        return new GuardInput(view, now, B, metrics, new TreeSet<>(ALL), obs, new LogData(groups, counts, B), config);
    }

    GuardInput input(long now) {
        return input(now, GuardConfig.defaults().withWarmupSeconds(0), Map.of(), Observations.empty());
    }

    List<String> reference() {
        return ALL.subList(2, ALL.size());
    }

    @Test
    void aNewDangerousExceptionIsAFailingFindingThatSaysSo() {
        events(TIMEOUT, ALL, T - 3600, T + 40, 1); // flaky, everywhere, all along
        // 37 events over 40 s on the two released instances
        for (int k = 0; k < 4; k++) counts.add(new LogCount(T + k * B, "i1", CNFE.id(), 5));
        for (int k = 0; k < 4; k++) counts.add(new LogCount(T + k * B, "i2", CNFE.id(), k == 0 ? 2 : 5));
        groups.put(CNFE.id(), CNFE);

        // the funnel's rule stage reports it (see RulesTest); the detector must not repeat it as a second finding
        assertThat(new LogDetector().detect(input(T + 40))).isEmpty();
        List<Finding> findings = new LogDetector(LogDetector.Config.defaults().withDangerousAsRule(true)).detect(input(T + 40));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("log:cnfe");
            assertThat(f.source()).isEqualTo(Finding.Source.LOG);
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.reason()).isEqualTo("new exception java.lang.ClassNotFoundException: com.example.shop.pricing.DiscountRule (a dangerous type)"
                    + " on 2 released instances, 37 times in 40 s, never seen before the release or on the reference instances");
            assertThat(f.evidence()).containsEntry("count", 37.0).containsEntry("dangerous", 1.0).containsEntry("referenceCount", 0.0);
            assertThat(f.evidence().get("pValue")).isLessThan(1e-20);
            assertThat(f.instances()).containsExactly("i1", "i2");
            assertThat(f.stage()).isEqualTo("rule");
        });
        assertThat(new LogDetector().newGroups(input(T + 40))).singleElement()
                .satisfies(n -> assertThat(n.dangerousType()).isEqualTo("ClassNotFoundException"));
    }

    @Test
    void aNewOrdinaryExceptionFailsOnlyWithEnoughEvents() {
        events(ISE, List.of("i1"), T + 10, T + 20, 1);
        assertThat(new LogDetector().detect(input(T + 60))).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Verdict.WARN));

        events(ISE, List.of("i1"), T + 20, T + 60, 2);
        assertThat(new LogDetector().detect(input(T + 60))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.reason()).startsWith("new exception java.lang.IllegalStateException: cart is empty on 1 released instance, 9 times in 60 s");
        });
    }

    @Test
    void aNewOrdinaryExceptionFailsOnItsSecondEventWhenAnHourAndTheOldInstancesNeverLoggedIt() {
        // an hour of logs before the switch on every instance, where the exception never shows
        events(TIMEOUT, ALL, T - 3600, T - 3590, 1);
        events(ISE, List.of("i1"), T + 10, T + 20, 1);
        assertThat(new LogDetector().detect(input(T + 60))).filteredOn(f -> f.reason().contains("cart is empty")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Verdict.WARN));
        // one is a fluke, two are not: a low-intensity fault throwing it a few times an hour used to wait for its third
        events(ISE, List.of("i1"), T + 30, T + 40, 1);
        assertThat(new LogDetector().detect(input(T + 60))).filteredOn(f -> f.reason().contains("cart is empty")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.reason()).contains("2 times in 60 s", "never seen before the release or on the reference instances");
        });
    }

    @Test
    void anExceptionLoggedInTheBucketTheSwitchFellInIsNewNotSeenBefore() {
        // the switch at T + 5 falls inside the bucket [T, T + 10): what is logged there may be the new version's
        events(ISE, List.of("i1"), T, T + 10, 1);
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T + 5, List.of(new Batch(1, T + 5, RELEASED, false)), null);
        GuardInput in = new GuardInput(view, T + 60, B, Map.of(), new TreeSet<>(ALL), Observations.empty(), new LogData(groups, counts, B),
                GuardConfig.defaults().withWarmupSeconds(0));
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.WARN);
            assertThat(f.reason()).startsWith("new exception java.lang.IllegalStateException: cart is empty");
        });
    }

    @Test
    void aNewExceptionSeenOnlyInTheDeployWarmupIsOnlyWorthALook() {
        events(ISE, RELEASED, T, T + 30, 3);
        GuardInput in = input(T + 50, GuardConfig.defaults().withWarmupSeconds(60), Map.of(), Observations.empty());
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.WARN);
            assertThat(f.reason()).endsWith("so far only during the deploy warm-up");
        });
    }

    @Test
    void aFlakyExceptionAlreadyThereAtTheSameRateIsNothing() {
        events(TIMEOUT, ALL, T - 3600, T + 300, 2);
        assertThat(new LogDetector().detect(input(T + 300))).isEmpty();
    }

    @Test
    void aSurgeOnTheReleasedInstancesIsAFinding() {
        events(TIMEOUT, ALL, T - 3600, T, 1);
        events(TIMEOUT, reference(), T, T + 120, 1);
        events(TIMEOUT, RELEASED, T, T + 120, 6);

        assertThat(new LogDetector().detect(input(T + 120))).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("log:timeout");
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.stage()).isEqualTo("attribution");
            assertThat(f.evidence().get("ratioReference")).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.5));
            assertThat(f.evidence().get("ratioHistory")).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.5));
            assertThat(f.reason()).isEqualTo("exception java.net.SocketTimeoutException: Read timed out surged on 2 released instances: "
                    + "36.00 per minute per instance vs 6.00 per minute per instance on the 6 instances still on the old version, up from 6.00 per minute per instance before the release");
        });
    }

    @Test
    void aSurgeThatHitsEveryInstanceIsNotTheReleasesFault() {
        events(TIMEOUT, ALL, T - 3600, T, 1);
        events(TIMEOUT, ALL, T, T + 120, 6);
        assertThat(new LogDetector().detect(input(T + 120))).isEmpty();
    }

    @Test
    void moreEventsFromMoreRequestsIsNoSurgeWhenTrafficIsKnown() {
        // the released instances got 6 times the requests (a sticky load balancer, say) and log 6 times the timeouts
        events(TIMEOUT, ALL, T - 3600, T, 1);
        events(TIMEOUT, reference(), T, T + 120, 1);
        events(TIMEOUT, RELEASED, T, T + 120, 6);
        Observations.Builder obs = Observations.builder();
        for (String i : ALL) {
            int n = 372;
            long[] t = new long[n];
            double[] v = new double[n];
            for (int k = 0; k < n; k++) {
                t[k] = T - 3600 + k * B;
                v[k] = RELEASED.contains(i) && t[k] >= T ? 60 : 10;
            }
            obs.put(i, "requests", Series.of(t, v));
        }
        Map<String, MetricSpec> metrics = Map.of("requests", MetricSpec.of("requests", MetricKind.MIDDLEWARE, Bad.DECREASE, "rps", MetricRole.TRAFFIC));
        GuardConfig config = GuardConfig.defaults().withWarmupSeconds(0);

        assertThat(new LogDetector().detect(input(T + 120, config, metrics, obs.build()))).isEmpty();
        assertThat(new LogDetector().detect(input(T + 120, config, Map.of(), Observations.empty()))).hasSize(1);
    }

    @Test
    void aTemplateMinedDifferentlyOnAnotherHostIsNotNew() {
        events(LOGIN_REF, reference(), T - 600, T + 60, 1);
        events(LOGIN_REL, RELEASED, T, T + 60, 1);
        assertThat(new LogDetector().detect(input(T + 60))).isEmpty();
        assertThat(LogDetector.canonicalIds(new LogData(groups, counts, B))).containsEntry("login-rel", "login-ref");
    }

    @Test
    void withNothingToCompareWithANewGroupIsOnlyAWarning() {
        events(ISE, ALL, T, T + 60, 3);
        ReleaseView everything = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, ALL, false)), null);
        GuardInput in = new GuardInput(everything, T + 60, B, Map.of(), Set.copyOf(ALL), Observations.empty(), new LogData(groups, counts, B),
                GuardConfig.defaults().withWarmupSeconds(0));
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.WARN);
            assertThat(f.reason()).endsWith("with no reference group and no history to compare with");
        });
    }
    /** One sample every bucket of [from, to) for each instance, the value 10 (requests per second, say). */
    static Observations scraped(Map<String, long[]> upFromTo) {
        Observations.Builder obs = Observations.builder();
        upFromTo.forEach((i, w) -> {
            int n = (int) ((w[1] - w[0]) / B);
            long[] t = new long[n];
            double[] v = new double[n];
            for (int k = 0; k < n; k++) {
                t[k] = w[0] + (k + 1) * B;
                v[k] = 10;
            }
            obs.put(i, "cpu", Series.of(t, v));
        });
        return obs.build();
    }

    @Test
    void instancesThatAreGoneOrNotUpYetDoNotDiluteTheReferenceRate() {
        // i3..i8 are old instances of which i6..i8 were already replaced before the release started, and stay silent
        long[] all = {T - 3600, T + 300};
        Map<String, long[]> up = new java.util.LinkedHashMap<>();
        for (String i : ALL) up.put(i, i.compareTo("i6") >= 0 ? new long[]{T - 3600, T - 1800} : all);
        events(TIMEOUT, ALL.subList(0, 5), T - 1800, T + 300, 1);
        events(TIMEOUT, ALL.subList(5, 8), T - 3600, T - 1800, 1);
        GuardInput in = input(T + 300, GuardConfig.defaults().withWarmupSeconds(0), Map.of(), scraped(up));
        assertThat(new LogDetector().detect(in)).isEmpty();
    }

    @Test
    void aSurgeStillShowsOnceTheLastBatchHasSwitchedEveryone() {
        // i1, i2 switch at T and log 6 times the old rate; the six others switch at T + 600 and do the same
        events(TIMEOUT, ALL, T - 3600, T, 1);
        events(TIMEOUT, RELEASED, T, T + 900, 6);
        events(TIMEOUT, reference(), T, T + 600, 1);
        events(TIMEOUT, reference(), T + 600, T + 900, 6);
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, RELEASED, false), new Batch(2, T + 600, reference(), false)), null);
        GuardInput in = new GuardInput(view, T + 900, B, Map.of(), new TreeSet<>(ALL), Observations.empty(), new LogData(groups, counts, B),
                GuardConfig.defaults().withWarmupSeconds(0));
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.stage()).isEqualTo("attribution");
            assertThat(f.reason()).contains("on the 6 instances still on the old version");
        });
    }

    @Test
    void aBurstEverywhereIsNoSurgeEvenForALaterBatchThatSawOnlyTheBurst() {
        // a flaky downstream: 1 event a bucket everywhere, then a burst of 8 a bucket on every instance from T + 600;
        // i2 joined only at T + 600, so all it ever logged on the new version is burst
        events(TIMEOUT, ALL, T - 3600, T + 600, 1);
        events(TIMEOUT, ALL, T + 600, T + 700, 8);
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, List.of("i1"), false), new Batch(2, T + 600, List.of("i2"), false)), null);
        GuardInput in = new GuardInput(view, T + 700, B, Map.of(), new TreeSet<>(ALL), Observations.empty(), new LogData(groups, counts, B),
                GuardConfig.defaults().withWarmupSeconds(0));
        assertThat(new LogDetector().detect(in)).isEmpty();
    }

    @Test
    void startUpErrorsOfAnInstanceThatCameUpLateAreWarmUp() {
        // i1 and i2 are replacements: no sample until T + 120, when they came up and failed to reach Redis at first
        Map<String, long[]> up = new java.util.LinkedHashMap<>();
        for (String i : ALL) up.put(i, RELEASED.contains(i) ? new long[]{T + 110, T + 600} : new long[]{T - 3600, T + 600});
        events(ISE, RELEASED, T + 110, T + 120, 4);
        GuardInput in = input(T + 600, GuardConfig.defaults().withWarmupSeconds(60), Map.of(), scraped(up));
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.WARN);
            assertThat(f.reason()).endsWith("so far only during the deploy warm-up");
        });

        // the same error still thrown after the warm-up is a finding
        events(ISE, RELEASED, T + 300, T + 310, 1);
        in = input(T + 600, GuardConfig.defaults().withWarmupSeconds(60), Map.of(), scraped(up));
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Verdict.FAIL));
    }

    @Test
    void withSamplesCoarserThanTheWarmUpTheFirstLineLoggedSaysWhenTheInstanceCameUp() {
        // a sample every five minutes, the first after the switch at T + 100 holding minutes from before it: it cannot
        // say when i1 and i2 came up; their start-up errors at T + 100 can
        long step = 300;
        Observations.Builder obs = Observations.builder();
        long first = T - 3600 - Math.floorMod(T - 3600, step);
        for (String i : ALL) {
            int n = (int) ((T + 900 - first) / step);
            long[] t = new long[n];
            double[] v = new double[n];
            for (int k = 0; k < n; k++) {
                t[k] = first + (k + 1) * step;
                v[k] = 10;
            }
            obs.put(i, "cpu", Series.of(t, v));
        }
        events(TIMEOUT, reference(), T - 3600, T + 900, 1);
        // i1 and i2 log nothing while they restart
        events(TIMEOUT, RELEASED, T - 3600, T, 1);
        events(TIMEOUT, RELEASED, T + 110, T + 900, 1);
        events(ISE, RELEASED, T + 100, T + 110, 4);
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, RELEASED, false)), null);
        GuardConfig config = GuardConfig.defaults().withWarmupSeconds(60);
        GuardInput in = new GuardInput(view, T + 900, step, Map.of(), new TreeSet<>(ALL), obs.build(), new LogData(groups, counts, B), config);
        assertThat(new LogDetector().detect(in)).filteredOn(f -> f.key().equals("log:ise")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.WARN);
            assertThat(f.reason()).endsWith("so far only during the deploy warm-up");
        });

        // thrown again once the warm-up is over, it fails
        events(ISE, RELEASED, T + 400, T + 410, 2);
        in = new GuardInput(view, T + 900, step, Map.of(), new TreeSet<>(ALL), obs.build(), new LogData(groups, counts, B), config);
        assertThat(new LogDetector().detect(in)).filteredOn(f -> f.key().equals("log:ise")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Verdict.FAIL));
    }

    /** Every instance scraped each minute from {@code from} to {@code to}, the released ones missing the scrape at {@code missed}. */
    static Observations scrapedEveryMinute(long from, long to, long missed) {
        Observations.Builder obs = Observations.builder();
        for (String i : ALL) {
            List<Long> times = new ArrayList<>();
            for (long t = from; t <= to; t += 60) if (!RELEASED.contains(i) || t != missed) times.add(t);
            long[] t = times.stream().mapToLong(Long::longValue).toArray();
            obs.put(i, "cpu", Series.of(t, new double[t.length]));
        }
        return obs.build();
    }

    @Test
    void whileTheFirstScrapeAfterTheSwitchIsAloneTheFirstLineLoggedSaysWhenTheNewProcessStarted() {
        // scraped 50 s into every minute: i1 and i2 answer at T + 50 (the old process, still up), then boot; their next
        // scrape is not due before T + 110. They log start-up errors from T + 70: at T + 100 that is their warm-up
        events(ISE, RELEASED, T + 70, T + 100, 3);
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, RELEASED, false)), null);
        GuardInput in = new GuardInput(view, T + 100, 60, Map.of(), new TreeSet<>(ALL), scrapedEveryMinute(T - 3550, T + 100, Long.MIN_VALUE),
                new LogData(groups, counts, B), GuardConfig.defaults().withWarmupSeconds(60));
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.WARN);
            assertThat(f.reason()).endsWith("so far only during the deploy warm-up");
        });
    }

    @Test
    void theOldProcesssLastScrapeAfterAnInPlaceSwitchDoesNotStartTheNewOnesWarmUp() {
        // scraped every minute, 10 s past the one the switch fell in: i1 and i2's old processes answer once more at T + 10,
        // the new ones boot through the next scrape, fail to reach Redis from T + 100 and are first scraped at T + 130
        events(ISE, RELEASED, T + 100, T + 130, 3);
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, RELEASED, false)), null);
        GuardConfig config = GuardConfig.defaults().withWarmupSeconds(60);
        GuardInput in = new GuardInput(view, T + 900, 60, Map.of(), new TreeSet<>(ALL), scrapedEveryMinute(T - 3590, T + 900, T + 70),
                new LogData(groups, counts, B), config);
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.WARN);
            assertThat(f.reason()).endsWith("so far only during the deploy warm-up");
        });

        // scraped on without a silence, the new process was up within seconds: the same errors half a minute after its
        // first whole minute are no warm-up
        in = new GuardInput(view, T + 900, 60, Map.of(), new TreeSet<>(ALL), scrapedEveryMinute(T - 3590, T + 900, Long.MIN_VALUE),
                new LogData(groups, counts, B), config);
        assertThat(new LogDetector().detect(in)).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Verdict.FAIL));
    }

    @Test
    void aNewExceptionThrownAgainAndAgainFailsWithoutWaitingForTheVote() {
        events(TIMEOUT, ALL, T - 3600, T + 60, 1);
        events(ISE, List.of("i1"), T, T + 60, 2);
        assertThat(new LogDetector().detect(input(T + 60))).filteredOn(f -> f.key().equals("log:ise")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.stage()).isEqualTo("rule");
            assertThat(f.evidence().get("pValue")).isLessThan(1e-6);
        });

        // a few, with little to compare with, go through the vote
        groups.clear();
        counts.clear();
        events(ISE, List.of("i1"), T, T + 30, 1);
        assertThat(new LogDetector().detect(input(T + 60))).singleElement().satisfies(f -> assertThat(f.stage()).isEqualTo("attribution"));
    }

    @Test
    void aNewWarnLineIsOnlyWorthALook() {
        LogGroup deprecated = new LogGroup("dep", LogGroup.Kind.TEMPLATE, "WARN", null, null, "Deprecated property <*> is used", "Deprecated property 'a' is used");
        events(TIMEOUT, ALL, T - 3600, T + 300, 1);
        events(deprecated, RELEASED, T, T + 300, 3);
        assertThat(new LogDetector().detect(input(T + 300))).filteredOn(f -> f.key().equals("log:dep")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Verdict.WARN));
    }

    /** {@code timesPerHour} events of the group on each instance in [from, to), one every so often, in step across instances. */
    void sparse(LogGroup g, List<String> instances, long from, long to, int timesPerHour) {
        groups.put(g.id(), g);
        for (String i : instances) for (long b = from; b < to; b += 3600 / timesPerHour) counts.add(new LogCount(b, i, g.id(), 1));
    }

    /** The first batch switches i1 alone, as a release's first batch usually does. */
    GuardInput firstOfOne(long now) {
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, List.of("i1"), false)), null);
        return new GuardInput(view, now, B, Map.of(), new TreeSet<>(ALL), Observations.empty(), new LogData(groups, counts, B),
                GuardConfig.defaults().withWarmupSeconds(0));
    }

    @Test
    void aTenfoldSurgeOfAnExceptionSeenAFewTimesAnHourFailsAfterItsFourthEvent() {
        // 3 an hour everywhere (0.05 a minute), 30 an hour on the released instance: an event every 2 minutes
        sparse(TIMEOUT, ALL, T - 3600, T + 1200, 3);
        sparse(TIMEOUT, List.of("i1"), T + 60, T + 1200, 30);
        assertThat(new LogDetector().detect(firstOfOne(T + 370))).isEmpty();
        assertThat(new LogDetector().detect(firstOfOne(T + 490))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.evidence().get("count")).isEqualTo(4.0);
        });
    }

    @Test
    void aSurgeMustAddThreeEventsToWhatTheOldRateExplains() {
        // events in a row where almost none were expected: tiny p-values, yet a fourth is asked for before failing
        sparse(TIMEOUT, ALL, T - 3600, T + 600, 3);
        for (int k = 1; k <= 4; k++) counts.add(new LogCount(T + 50 + k * B, "i1", TIMEOUT.id(), 1));
        assertThat(new LogDetector().detect(firstOfOne(T + 90))).isEmpty();
        assertThat(new LogDetector().detect(firstOfOne(T + 100))).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Verdict.FAIL));
    }

    @Test
    void aBurstOfARareExceptionOnEveryInstanceIsNoSurge() {
        // a flaky downstream: 3 an hour everywhere, then 4 events a minute on every instance for 3 minutes
        sparse(TIMEOUT, ALL, T - 3600, T + 900, 3);
        for (long b = T + 300; b < T + 480; b += B) for (String i : ALL) if ((b - T) % 60 < 40) counts.add(new LogCount(b, i, TIMEOUT.id(), 1));
        for (long now = T + 320; now <= T + 900; now += 60) assertThat(new LogDetector().detect(firstOfOne(now))).isEmpty();
    }

    /** A batch that switches six of the eight instances: the two left on the old version log a rare group too seldom to prove anything alone. */
    GuardInput sixOfEight(long now) {
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, ALL.subList(0, 6), false)), null);
        return new GuardInput(view, now, B, Map.of(), new TreeSet<>(ALL), Observations.empty(), new LogData(groups, counts, B),
                GuardConfig.defaults().withWarmupSeconds(0));
    }

    @Test
    void aRareExceptionSurgingWhileTheOldVersionLogsItAtItsUsualRateFails() {
        // twice an hour everywhere for two hours, then every five minutes on the six released instances: in ten minutes
        // they log 12 where 2 were expected, and the two old instances none, as usual; 12 of 12 events on the released
        // side of buckets they hold three quarters of is no proof on its own (0.75^12 = 0.03)
        sparse(TIMEOUT, ALL, T - 7200, T + 3600, 2);
        sparse(TIMEOUT, ALL.subList(0, 6), T + 70, T + 3600, 12);
        assertThat(new LogDetector().detect(sixOfEight(T + 660))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.evidence().get("pValueReference")).isGreaterThan(0.01);
            assertThat(f.evidence().get("pValueHistory")).isLessThan(0.001);
            assertThat(f.evidence().get("referenceOwnRatio")).isLessThan(2.0);
            assertThat(f.reason()).contains("still on the old version (their usual rate)");
        });
    }

    @Test
    void aRareExceptionRisingOnTheOldVersionTooIsNoSurgeOfTheRelease() {
        // the same, but the old instances log it every ten minutes too: more than their usual rate, too few to compare
        sparse(TIMEOUT, ALL, T - 7200, T + 3600, 2);
        sparse(TIMEOUT, ALL.subList(0, 6), T + 70, T + 3600, 12);
        sparse(TIMEOUT, ALL.subList(6, 8), T + 130, T + 3600, 6);
        assertThat(new LogDetector().detect(sixOfEight(T + 660))).isEmpty();
    }

    @Test
    void aGroupThatCameInBurstsBeforeIsNotJudgedAgainstItsPast() {
        // four in the hour before, all in one minute: a burst can land in any window, so the twelve events in the six
        // minutes after the switch prove nothing against that past
        groups.put(TIMEOUT.id(), TIMEOUT);
        for (String i : ALL) for (int k = 0; k < 4; k++) counts.add(new LogCount(T - 3500 + k * B, i, TIMEOUT.id(), 1));
        sparse(TIMEOUT, ALL.subList(0, 6), T + 70, T + 3600, 20);
        assertThat(new LogDetector().detect(sixOfEight(T + 420))).isEmpty();
    }

    /** One instance replaced alone: no reference group after the switch, its own past is all there is to compare with. */
    GuardInput alone(long now) {
        ReleaseView view = new ReleaseView("shop", "1.4", "1.5", T, List.of(new Batch(1, T, List.of("i1"), false)), null);
        return new GuardInput(view, now, B, Map.of(), new TreeSet<>(List.of("i1")), Observations.empty(), new LogData(groups, counts, B),
                GuardConfig.defaults().withWarmupSeconds(0));
    }

    /** Four events a minute on i1 for four minutes from {@code from}, in the first four buckets of each minute. */
    void burst(long from) {
        groups.put(TIMEOUT.id(), TIMEOUT);
        for (long m = from; m < from + 240; m += 60) for (int k = 0; k < 4; k++) counts.add(new LogCount(m + k * B, "i1", TIMEOUT.id(), 1));
    }

    @Test
    void aBurstAsBigAsTheBurstsBeforeTheSwitchIsNoSurgeOfTheRelease() {
        // a flaky downstream: four-minute bursts every half hour before the switch, and one more after it. Counted as
        // events of one rate, 16 in the five minutes after the switch against 32 in the hour before are far beyond chance
        // (p = 3e-7); but the hour's minutes spread 3.5 times as much as Poisson counts do, and as quasi-Poisson counts
        // (16 / 3.5 against 32 / 3.5) they are p = 0.003: a burst can land in any window
        burst(T - 3600);
        burst(T - 1800);
        burst(T + 60);
        assertThat(new LogDetector().detect(alone(T + 300))).noneMatch(f -> f.severity() == Verdict.FAIL);
    }

    @Test
    void theSameEventsAfterTheSwitchSurgeAgainstAPastThatLoggedThemEvenly() {
        // as many events in the hour before, spread evenly (one every two minutes or so): the burst after the switch is
        // then more than the past ever showed
        sparse(TIMEOUT, List.of("i1"), T - 3600, T, 32);
        burst(T + 60);
        assertThat(new LogDetector().detect(alone(T + 300))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.reason()).contains("surged on 1 released instance");
        });
    }

    @Test
    void theStratifiedTestSumsEachStratumsOwnBinomialNotOneAtTheMeanShare() {
        // a bucket where the released instances held 90% of the exposure and one where they held 10%: 3 of the 4 events
        // on their side is P(X1 = 2) P(X2 >= 1) + P(X1 = 1) P(X2 = 2) = 0.81 * 0.19 + 0.18 * 0.01, where one binomial at
        // the mean share (a half) would say 5/16
        LogDetector.Strata s = new LogDetector.Strata();
        s.add(2, 9, 0, 1);
        s.add(1, 1, 1, 9);
        assertThat(s.stratifiedUpperTail(3, 4)).isCloseTo(0.1557, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(LogDetector.upperTail(3, 4, 0.5)).isEqualTo(5 / 16.0);
    }

    @Test
    void withOneStratumTheStratifiedTestIsTheBinomialTail() {
        LogDetector.Strata s = new LogDetector.Strata();
        s.add(7, 1, 1, 3);
        assertThat(s.stratifiedUpperTail(7, 8)).isCloseTo(LogDetector.upperTail(7, 8, 0.25), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(LogDetector.binomialPmf(8, 0.25)).hasSize(9).satisfies(pmf -> {
            double sum = 0;
            for (double v : pmf) sum += v;
            assertThat(sum).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(pmf[0]).isCloseTo(Math.pow(0.75, 8), org.assertj.core.data.Offset.offset(1e-15));
        });
    }

    @Test
    void onlyBucketsThatHaveEndedAreSeen() {
        events(ISE, List.of("i1"), T, T + 30, 1);
        LogData logs = new LogData(groups, counts, B);
        assertThat(logs.upTo(T + 19).counts()).extracting(LogCount::bucketStart).containsExactly(T, T + 10);
        assertThat(logs.upTo(T + 18).counts()).extracting(LogCount::bucketStart).containsExactly(T);
    }
}
