package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.guard.StageSettings.Model;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricSeriesTest {
    static final long STEP = 60, SWITCH = 1_700_003_600L - 1_700_003_600L % 60;
    static final MetricSpec LATENCY = MetricSpec.of("latency", MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", MetricRole.LATENCY);

    final Observations.Builder obs = Observations.builder();

    void put(String instance, String metric, LongToDoubleFunction f) {
        int n = 90;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = SWITCH - 60 * STEP + i * STEP;
            v[i] = f.applyAsDouble(t[i]);
        }
        obs.put(instance, metric, Series.of(t, v));
    }

    GuardInput input(GuardConfig cfg, boolean preRelease) {
        ReleaseView view = new ReleaseView("app", "v1", "v2", SWITCH, List.of(new Batch(1, SWITCH, List.of("r1"), preRelease)), null);
        return new GuardInput(view, SWITCH + 20 * STEP, STEP, Map.of("latency", LATENCY), Set.of("r1", "f1", "f2"), obs.build(),
                LogData.empty(60), cfg);
    }

    static double[] finite(double[] a) {
        return Arrays.stream(a).filter(Double::isFinite).toArray();
    }

    @Test
    void peerDeviationsKeepHowFarEachOldInstanceStandsFromTheOthersAndNotTheSwingsTheyShare() {
        // four old instances at 100 to 400 that all swing by half with the hour; r1 is a fresh pod with no history
        LongToDoubleFunction swing = t -> 1 + 0.5 * Math.sin(2 * Math.PI * t / 3600.0);
        put("r1", "latency", t -> t < SWITCH ? Double.NaN : 250 * swing.applyAsDouble(t));
        for (int k = 1; k <= 4; k++) {
            int size = 100 * k;
            put("f" + k, "latency", t -> size * swing.applyAsDouble(t));
        }
        ReleaseView view = new ReleaseView("app", "v1", "v2", SWITCH, List.of(new Batch(1, SWITCH, List.of("r1"), false)), null);
        GuardInput in = new GuardInput(view, SWITCH + 20 * STEP, STEP, Map.of("latency", LATENCY), Set.of("r1", "f1", "f2", "f3", "f4"),
                obs.build(), LogData.empty(60), GuardConfig.defaults());
        MetricSeries ms = MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO);
        double[] apart = ms.peerDeviations();
        // a sample per old instance per baseline minute, each as far from the fleet's level (250) as the instance sits,
        // whatever the hour did to all of them
        assertThat(apart).hasSize(4 * (ms.fleet().baselineEnd() + 1));
        assertThat(Arrays.stream(apart).map(d -> Math.round(Math.expm1(d) * 10) / 10.0).distinct().sorted().toArray())
                .containsExactly(-0.6, -0.2, 0.2, 0.6);
        // with two old instances, one is all the other is compared with: too few to say how instances stray
        in = new GuardInput(view, SWITCH + 20 * STEP, STEP, Map.of("latency", LATENCY), Set.of("r1", "f1", "f2"),
                obs.build(), LogData.empty(60), GuardConfig.defaults());
        assertThat(MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO).peerDeviations()).isNull();
    }

    @Test
    void dropsTheWarmUpKeepsGapsAndNormalisesByEachInstancesOwnLevel() {
        put("r1", "latency", t -> t >= SWITCH && t < SWITCH + 60 ? 5000 : t == SWITCH + 300 ? Double.NaN : 100);
        put("f1", "latency", t -> 200);
        put("f2", "latency", t -> 300);
        GuardInput in = input(GuardConfig.defaults().withAfterWindowSeconds(3600), false);
        MetricSeries ms = MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO);
        double[] after = ms.aggregate(Part.RELEASE_AFTER);
        // 21 samples from the switch on; the one at the switch and the first after it (warm-up: it starts serving then) dropped,
        // one missing: 18 left, all at the instance's own level
        assertThat(finite(after)).hasSize(18);
        assertThat(Arrays.stream(finite(after)).map(Math::abs).max().orElseThrow()).isLessThan(1e-12);
        assertThat(after[ms.fleet().bucket(SWITCH + 300)]).isNaN();
        assertThat(Arrays.stream(finite(ms.aggregate(Part.REFERENCE))).map(Math::abs).max().orElseThrow()).isLessThan(1e-12);
        assertThat(ms.relative(Math.log(1.5))).isCloseTo(0.5, within(1e-12));
        assertThat(ms.absolute(Math.log(1.5))).isCloseTo(50, within(1e-9));
        assertThat(ms.rawMedian(Part.RELEASE_AFTER, 0, ms.fleet().buckets() - 1)).isEqualTo(100);
        assertThat(ms.model()).isEqualTo(Model.RATIO);
        // by default only the latest 15 minutes are compared
        GuardInput recent = input(GuardConfig.defaults(), false);
        assertThat(finite(MetricSeries.of(recent, Fleet.of(recent), LATENCY, Model.RATIO).aggregate(Part.RELEASE_AFTER))).hasSize(15);
    }

    @Test
    void warmUpRunsFromWhenTheInstanceStartsServingAndAgainAfterABootGap() {
        // silent while it boots (two steps), a cold first minute; later silent for three steps (a restart) and cold again
        put("r1", "latency", t -> t >= SWITCH && t < SWITCH + 180 ? Double.NaN : t == SWITCH + 180 ? 5000
                : t > SWITCH + 600 && t < SWITCH + 840 ? Double.NaN : t == SWITCH + 840 ? 7000 : 100);
        put("f1", "latency", t -> 200);
        GuardInput in = input(GuardConfig.defaults().withAfterWindowSeconds(3600), false);
        MetricSeries ms = MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO);
        double[] after = ms.aggregate(Part.RELEASE_AFTER);
        assertThat(after[ms.fleet().bucket(SWITCH + 180)]).as("first sample since serving: warm-up").isNaN();
        assertThat(after[ms.fleet().bucket(SWITCH + 240)]).isCloseTo(0, within(1e-12));
        assertThat(after[ms.fleet().bucket(SWITCH + 840)]).as("first sample after the boot gap: warm-up again").isNaN();
        assertThat(after[ms.fleet().bucket(SWITCH + 900)]).isCloseTo(0, within(1e-12));
        assertThat(Arrays.stream(finite(after)).map(Math::abs).max().orElseThrow()).isLessThan(1e-12);
    }

    @Test
    void samplesStillComingDownFromTheDeploySpikeLeaveTheAfterPart() {
        // past the one-minute warm-up, still three times, twice, one and a half times its level; then settled
        double[] tail = {300, 200, 150};
        put("r1", "latency", t -> {
            int k = (int) ((t - SWITCH) / STEP) - 2;
            return k >= 0 && k < tail.length ? tail[k] : 100 + (t / 60) % 3;
        });
        put("f1", "latency", t -> 200);
        GuardInput in = input(GuardConfig.defaults().withAfterWindowSeconds(3600), false);
        MetricSeries ms = MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO);
        assertThat(ms.firstAfterBucket()).isEqualTo(ms.fleet().bucket(SWITCH + 300));
        assertThat(Arrays.stream(finite(ms.aggregate(Part.RELEASE_AFTER))).max().orElseThrow()).isLessThan(0.05);
    }

    @Test
    void aStepOrARampKeepsItsFirstSamples() {
        GuardConfig cfg = GuardConfig.defaults().withAfterWindowSeconds(3600);
        // a step to twice the level whose first sample happens to be its highest, by less than a finding's size
        put("r1", "latency", t -> t < SWITCH ? 100 : t == SWITCH + 120 ? 230 : 200 + (t / 60) % 3);
        put("f1", "latency", t -> 200);
        GuardInput in = input(cfg, false);
        MetricSeries step = MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO);
        assertThat(step.firstAfterBucket()).isEqualTo(step.fleet().bucket(SWITCH + 120));
        // a ramp: every sample higher than the one before
        put("r1", "latency", t -> t < SWITCH ? 100 : 100 + (t - SWITCH) / 6.0);
        in = input(cfg, false);
        MetricSeries ramp = MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO);
        assertThat(ramp.firstAfterBucket()).isEqualTo(ramp.fleet().bucket(SWITCH + 120));
    }

    @Test
    void seriesOfAnInstanceShareWhereTheirSamplesGoOnlyWhenScrapedAlike() {
        MetricSpec cpu = MetricSpec.of("cpu", MetricKind.BASIC, Bad.INCREASE, "%", MetricRole.RESOURCE);
        MetricSpec memory = MetricSpec.of("memory", MetricKind.BASIC, Bad.INCREASE, "MB", MetricRole.RESOURCE);
        put("r1", "latency", t -> t == SWITCH + 60 ? 5000 : 100);
        // silent while it boots: its warm-up starts later than latency's
        put("r1", "cpu", t -> t >= SWITCH && t < SWITCH + 180 ? Double.NaN : t == SWITCH + 180 ? 90 : 10);
        long[] t = new long[90];
        double[] v = new double[90];
        for (int i = 0; i < t.length; i++) {
            t[i] = SWITCH - 60 * STEP + i * STEP + 30; // scraped half a step later
            v[i] = t[i] >= SWITCH && t[i] < SWITCH + 60 ? 900 : 300;
        }
        obs.put("r1", "memory", Series.of(t, v));
        for (String m : List.of("latency", "cpu", "memory")) put("f1", m, x -> 50);
        ReleaseView view = new ReleaseView("app", "v1", "v2", SWITCH, List.of(new Batch(1, SWITCH, List.of("r1"), false)), null);
        GuardInput in = new GuardInput(view, SWITCH + 20 * STEP, STEP, Map.of("latency", LATENCY, "cpu", cpu, "memory", memory),
                Set.of("r1", "f1"), obs.build(), LogData.empty(60), GuardConfig.defaults().withAfterWindowSeconds(3600));
        Fleet shared = Fleet.of(in);
        MetricSeries.of(in, shared, LATENCY, Model.RATIO);
        for (MetricSpec spec : List.of(cpu, memory)) {
            MetricSeries after = MetricSeries.of(in, shared, spec, Model.RATIO), alone = MetricSeries.of(in, Fleet.of(in), spec, Model.RATIO);
            for (Part p : Part.values()) assertThat(after.aggregate(p)).as(spec.name() + " " + p).containsExactly(alone.aggregate(p));
            assertThat(Arrays.stream(finite(after.aggregate(Part.RELEASE_AFTER))).map(Math::abs).max().orElseThrow())
                    .as(spec.name() + ": its own warm-up dropped").isLessThan(1e-12);
        }
    }

    @Test
    void aBucketScrapedTwiceHoldsTheMeanOfItsSamples() {
        // scraped every half step, the second sample of each minute 20 higher: every bucket's mean is 10 above the first
        long[] t = new long[180];
        double[] v = new double[180];
        for (int i = 0; i < t.length; i++) {
            t[i] = SWITCH - 60 * STEP + i * STEP / 2;
            v[i] = 100 + i / 2 + (i % 2) * 20;
        }
        obs.put("r1", "latency", Series.of(t, v));
        put("f1", "latency", x -> 200);
        GuardInput in = input(GuardConfig.defaults(), false);
        MetricSeries ms = MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO);
        int b = ms.fleet().bucket(SWITCH - 10 * STEP);
        assertThat(ms.inBucket(Part.RELEASE_BEFORE, MetricSeries.Reduce.SUM, b)).isEqualTo(100 + 50 + 10);
    }

    @Test
    void aReadinessTimeFromTheExecutorStartsTheWarmUp() {
        // the process reports from the switch on, but only serves (and is cold) from three minutes later
        put("r1", "latency", t -> t >= SWITCH + 180 && t < SWITCH + 240 ? 5000 : 100);
        put("f1", "latency", t -> 200);
        GuardInput plain = input(GuardConfig.defaults().withAfterWindowSeconds(3600), false);
        GuardInput ready = new GuardInput(plain.release(), plain.now(), plain.stepSeconds(), plain.metrics(), plain.instances(),
                plain.observations(), plain.logs(), plain.config(), Map.of("r1", SWITCH + 180));
        double[] fromSamples = MetricSeries.of(plain, Fleet.of(plain), LATENCY, Model.RATIO).aggregate(Part.RELEASE_AFTER);
        MetricSeries ms = MetricSeries.of(ready, Fleet.of(ready), LATENCY, Model.RATIO);
        assertThat(fromSamples[ms.fleet().bucket(SWITCH + 180)]).isGreaterThan(3);
        assertThat(ms.aggregate(Part.RELEASE_AFTER)[ms.fleet().bucket(SWITCH + 180)]).isNaN();
    }

    @Test
    void countsArePooledBeforeTheyAreNormalised() {
        MetricSpec orders = MetricSpec.of("orders", MetricKind.BUSINESS, Bad.DECREASE, "per minute", MetricRole.OTHER);
        // two instances with about one order a minute: one of them sees none in a minute now and then
        put("r1", "orders", t -> (t / 60) % 4 == 0 ? 0 : 1);
        put("r2", "orders", t -> 1);
        put("f1", "orders", t -> 1);
        ReleaseView view = new ReleaseView("app", "v1", "v2", SWITCH, List.of(new Batch(1, SWITCH, List.of("r1", "r2"), false)), null);
        GuardInput in = new GuardInput(view, SWITCH + 20 * STEP, STEP, Map.of("orders", orders), Set.of("r1", "r2", "f1"), obs.build(),
                LogData.empty(60), GuardConfig.defaults());
        MetricSeries ms = MetricSeries.of(in, Fleet.of(in), orders, Model.RATIO);
        assertThat(ms.counts()).isTrue();
        // a minute with 1 order of the 2 expected is half, not the log of a hundredth
        assertThat(Arrays.stream(finite(ms.aggregate(Part.RELEASE_AFTER))).min().orElseThrow()).isGreaterThan(Math.log(0.4));
        assertThat(MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO).counts()).isFalse();
    }

    @Test
    void trimsOutliersOnlyWhenAsked() {
        put("r1", "latency", t -> t == SWITCH + 600 ? 10_000 : 100 + (t / 60) % 3);
        put("f1", "latency", t -> 200);
        GuardInput plain = input(GuardConfig.defaults(), false);
        GuardInput trimmed = input(GuardConfig.defaults().withTrimOutliers(true), false);
        assertThat(MetricSeries.of(plain, Fleet.of(plain), LATENCY, Model.RATIO).rawMedian(Part.RELEASE_AFTER, 0, 1000)).isLessThan(200);
        double maxPlain = Arrays.stream(finite(MetricSeries.of(plain, Fleet.of(plain), LATENCY, Model.RATIO).aggregate(Part.RELEASE_AFTER))).max().orElseThrow();
        double maxTrimmed = Arrays.stream(finite(MetricSeries.of(trimmed, Fleet.of(trimmed), LATENCY, Model.RATIO).aggregate(Part.RELEASE_AFTER))).max().orElseThrow();
        assertThat(maxPlain).isGreaterThan(Math.log(50));
        assertThat(maxTrimmed).isLessThan(0.05);
    }

    @Test
    void ratiosFallBackToDifferencesWhenALevelIsZero() {
        put("r1", "latency", t -> 0);
        put("f1", "latency", t -> 200);
        GuardInput in = input(GuardConfig.defaults(), false);
        assertThat(MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO).model()).isEqualTo(Model.DIFFERENCE);
    }

    @Test
    void requestMetricsLeavePreReleaseInstancesOut() {
        put("r1", "latency", t -> 100);
        put("f1", "latency", t -> 200);
        GuardInput in = input(GuardConfig.defaults(), true);
        assertThat(MetricSeries.of(in, Fleet.of(in), LATENCY, Model.RATIO).released()).isEmpty();
        MetricSpec memory = MetricSpec.of("memory", MetricKind.BASIC, Bad.INCREASE, "MB", MetricRole.RESOURCE);
        assertThat(MetricSeries.of(in, Fleet.of(in), memory, Model.RATIO).released()).hasSize(1);
    }

    @Test
    void restartsAreIgnoredExceptTheOneThatComesWithTheSwitch() {
        put("r1", "latency", t -> 100);
        put("f1", "latency", t -> 200);
        put("f2", "latency", t -> 200);
        put("r1", "process_start_time_seconds", t -> t >= SWITCH ? SWITCH + 5 : 1_600_000_000);
        put("f1", "process_start_time_seconds", t -> 1_600_000_000);
        put("f2", "process_start_time_seconds", t -> t >= SWITCH - 1200 ? SWITCH - 1190 : 1_600_000_000);
        GuardInput in = input(GuardConfig.defaults(), false);
        Fleet fleet = Fleet.of(in);
        assertThat(fleet.released()).extracting(Fleet.Member::id).containsExactly("r1");
        assertThat(fleet.reference()).extracting(Fleet.Member::id).containsExactly("f1");
        assertThat(fleet.ignored()).containsOnlyKeys("f2");
        assertThat(fleet.ignored().get("f2")).startsWith("restarted between");
    }
}
