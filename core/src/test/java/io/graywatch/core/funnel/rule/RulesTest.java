package io.graywatch.core.funnel.rule;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.GraywatchJudge;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules fail at once, in the first round that has the evidence, without a vote. */
class RulesTest {
    static final long STEP = 60, SWITCH = 1_700_003_600L - 1_700_003_600L % 60;
    static final Set<String> FLEET = Set.of("r1", "r2", "f1", "f2", "f3");
    static final MetricSpec REQUESTS = MetricSpec.of("requests", MetricKind.MIDDLEWARE, Bad.DECREASE, "req/s", MetricRole.TRAFFIC);
    static final MetricSpec SUCCESS = MetricSpec.of("success_rate", MetricKind.MIDDLEWARE, Bad.DECREASE, "", MetricRole.SUCCESS_RATE);

    final GraywatchJudge judge = new GraywatchJudge();
    final Map<String, MetricSpec> specs = new LinkedHashMap<>();
    final Map<String, BiFunction<String, Long, Double>> values = new LinkedHashMap<>();
    final Map<String, LogGroup> groups = new LinkedHashMap<>();
    final List<LogCount> counts = new ArrayList<>();
    boolean preRelease;

    RulesTest metric(MetricSpec spec, BiFunction<String, Long, Double> f) {
        specs.put(spec.name(), spec);
        values.put(spec.name(), f);
        return this;
    }

    /** A little deterministic wobble, so that series are not flat. */
    static double jitter(String instance, long t) {
        return 1 + 0.01 * ((t / STEP * 7 + instance.hashCode()) % 5);
    }

    static boolean released(String instance, long t) {
        return instance.startsWith("r") && t >= SWITCH;
    }

    RoundResult round(long now) {
        Observations.Builder b = Observations.builder();
        for (String inst : FLEET) {
            for (String m : specs.keySet()) {
                int n = (int) ((now - (SWITCH - 3600)) / STEP) + 1;
                long[] t = new long[n];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = SWITCH - 3600 + i * STEP;
                    v[i] = values.get(m).apply(inst, t[i]);
                }
                b.put(inst, m, Series.of(t, v));
            }
        }
        ReleaseView view = new ReleaseView("app", "v1", "v2", SWITCH, List.of(new Batch(1, SWITCH, List.of("r1", "r2"), preRelease)), null);
        GuardInput in = new GuardInput(view, now, STEP, specs, FLEET, b.build(), new LogData(groups, counts, 60).upTo(now), GuardConfig.defaults());
        return judge.judge(in, GuardState.initial());
    }

    void exception(String id, String type, String instance, long at) {
        groups.put(id, new LogGroup(id, LogGroup.Kind.EXCEPTION, "ERROR", type, type, type, type));
        counts.add(new LogCount(at, instance, id, 2));
    }

    @Test
    void newDangerousExceptionFailsEvenOnAPreReleaseInstance() {
        preRelease = true;
        metric(REQUESTS, (i, t) -> released(i, t) ? 0.0 : 20.0 * jitter(i, t));
        exception("g1", "java.lang.ClassNotFoundException", "r2", SWITCH + 60);
        RoundResult r = round(SWITCH + 120); // once its bucket has ended
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        Finding f = r.findings().get(0);
        assertThat(f.key()).isEqualTo("rule:exception:ClassNotFoundException");
        assertThat(f.source()).isEqualTo(Finding.Source.RULE);
        assertThat(f.evidence()).containsEntry("count", 2.0).containsEntry("referenceCount", 0.0);
    }

    @Test
    void dangerousExceptionSeenOnTheReferenceOrBeforeTheSwitchIsNoRule() {
        metric(REQUESTS, (i, t) -> 20.0 * jitter(i, t));
        exception("g1", "java.lang.OutOfMemoryError", "r1", SWITCH + 120);
        counts.add(new LogCount(SWITCH - 1800, "f3", "g1", 1));
        exception("g2", "java.lang.StackOverflowError", "r2", SWITCH + 120);
        counts.add(new LogCount(SWITCH - 600, "r2", "g2", 1));
        RoundResult r = round(SWITCH + 300);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void trafficFallingToZeroWhileTheReferenceServesFails() {
        metric(REQUESTS, (i, t) -> released(i, t) ? 0.0 : 20.0 * jitter(i, t));
        // the warm-up minute and the next already make a clear step; the rule needs two samples after the warm-up
        RoundResult early = round(SWITCH + 120);
        assertThat(early.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(early.findings().get(0).key()).isEqualTo("metric:requests");
        RoundResult r = round(SWITCH + 180);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.findings().get(0).key()).isEqualTo("rule:traffic-loss:requests");
        assertThat(r.reason()).startsWith("requests fell to zero on the 2 serving released instances for the last 2 samples while the 3 reference instances still serve 2");
    }

    @Test
    void preReleaseInstancesWithoutTrafficAreNeitherALossNorTooLittleTraffic() {
        preRelease = true;
        metric(REQUESTS, (i, t) -> released(i, t) ? 0.0 : 20.0 * jitter(i, t));
        metric(MetricSpec.of("memory", MetricKind.BASIC, Bad.INCREASE, "MB", MetricRole.RESOURCE), (i, t) -> 500 * jitter(i, t));
        RoundResult r = round(SWITCH + 600);
        assertThat(r.findings()).isEmpty();
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.reason()).isEqualTo("no change attributable to the release in 1 metric on the 2 released instances against the 3 reference instances");
    }

    @Test
    void successRateBelowTheFloorFailsAtOnceWhateverItsScale() {
        metric(REQUESTS, (i, t) -> 20.0 * jitter(i, t));
        metric(SUCCESS, (i, t) -> released(i, t) ? 0.6 : 0.995);
        RoundResult r = round(SWITCH + 180);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.findings().get(0).key()).isEqualTo("rule:success-floor:success_rate");
        assertThat(r.findings().get(0).evidence()).containsEntry("limit", 0.9);
    }

    @Test
    void successRateBelowTheFloorEverywhereIsNotTheReleasesDoing() {
        metric(REQUESTS, (i, t) -> 20.0 * jitter(i, t));
        metric(SUCCESS, (i, t) -> t >= SWITCH ? 60.0 : 99.5);
        RoundResult r = round(SWITCH + 300);
        assertThat(r.findings()).noneMatch(f -> f.key().startsWith("rule:"));
        assertThat(r.verdict()).isNotEqualTo(Verdict.FAIL);
    }
}
