package io.graywatch.core.funnel;

import io.graywatch.core.funnel.clean.DirectionFromRole;
import io.graywatch.core.funnel.clean.RequestMetricsFromData;
import io.graywatch.core.funnel.clean.UtilisationFromData;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.anyFail;
import static org.assertj.core.api.Assertions.assertThat;

/** What the guard reads into metrics that a corpus or an exporter leaves unexplained: no direction, no unit, no telling name. */
class RolesFromDataTest {
    final GraywatchJudge judge = new GraywatchJudge();

    private static Bad judgedDirection(MetricSpec spec) {
        Scenario s = new Scenario(60, 60, 5, 1, 2).metric(spec, (i, t, r) -> 10).oneBatch();
        return DirectionFromRole.of(s.input(s.release)).metrics().get(spec.name()).bad();
    }

    private static MetricSpec either(String name, MetricKind kind, String unit) {
        return MetricSpec.of(name, kind, Bad.EITHER, unit, null);
    }

    @Test
    void eitherMeansTheDirectionThatHurtsWhereTheRoleHasOne() {
        assertThat(judgedDirection(either("p99_latency_ms", MetricKind.MIDDLEWARE, "ms"))).isEqualTo(Bad.INCREASE);
        assertThat(judgedDirection(either("success_rate", MetricKind.MIDDLEWARE, "%"))).isEqualTo(Bad.DECREASE);
        assertThat(judgedDirection(either("qps", MetricKind.MIDDLEWARE, ""))).isEqualTo(Bad.DECREASE);
        assertThat(judgedDirection(either("heap_used_mb", MetricKind.BASIC, "MB"))).isEqualTo(Bad.INCREASE);
        assertThat(judgedDirection(either("disk_free_gb", MetricKind.BASIC, "GB"))).isEqualTo(Bad.DECREASE);
        assertThat(judgedDirection(either("orders", MetricKind.BUSINESS, ""))).isEqualTo(Bad.DECREASE);
        assertThat(judgedDirection(either("refunds", MetricKind.BUSINESS, ""))).isEqualTo(Bad.INCREASE);
        assertThat(judgedDirection(either("stream_stalls", MetricKind.BUSINESS, ""))).isEqualTo(Bad.INCREASE);
        // nothing says which way an unexplained request metric hurts: both stay judged
        assertThat(judgedDirection(either("metric_4", MetricKind.MIDDLEWARE, ""))).isEqualTo(Bad.EITHER);
        // a direction the corpus gives is never overridden
        assertThat(judgedDirection(MetricSpec.of("memory_mb", MetricKind.BASIC, Bad.DECREASE, "MB", null))).isEqualTo(Bad.DECREASE);
    }

    /** Two released instances of eight; memory on them {@code after} times its level from the switch on. */
    private static Scenario memory(MetricSpec spec, double after) {
        Scenario s = new Scenario(60, 60, 20, 2, 6);
        return s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(spec, (i, t, r) -> Scenario.noisy(r, 1500 * (s.isReleased(i, t) ? after : 1), 0.01))
                .oneBatch();
    }

    @Test
    void aVersionUsingLessMemoryIsNoFailureThoughTheCorpusSaysEitherWayIsBad() {
        MetricSpec heap = either("heap_used_mb", MetricKind.BASIC, "MB");
        assertThat(anyFail(memory(heap, 0.75).run(judge, 20))).isFalse();
        List<RoundResult> more = memory(heap, 1.3).run(judge, 20);
        assertThat(anyFail(more)).isTrue();
        assertThat(more.stream().filter(r -> r.verdict() == Verdict.FAIL).findFirst().orElseThrow().reason()).startsWith("heap used mb");
    }

    /**
     * One instance replaced by a pod of the new version, nothing left to compare with, and only anonymised names:
     * {@code metric_1} is CPU in percent following the requests, {@code metric_2} the requests a second, both
     * without a unit. From the switch on the load rises by {@code surge} and CPU with it, times {@code cpuPerRequest}.
     */
    private static Scenario anonymised(double surge, double cpuPerRequest) {
        Scenario s = new Scenario(60, 60, 25, 1, 0);
        MetricSpec cpu = MetricSpec.of("metric_1", MetricKind.BASIC, Bad.INCREASE, "", null);
        MetricSpec rate = MetricSpec.of("metric_2", MetricKind.MIDDLEWARE, Bad.DECREASE, "", null);
        Scenario.Values load = (i, t, r) -> 40 * (1 + 0.3 * Math.sin(2 * Math.PI * (t - Scenario.T0) / 2400.0)) * (t < s.release ? 1 : surge);
        return s.metric(rate, (i, t, r) -> Scenario.noisy(r, load.at(i, t, r), 0.06))
                .metric(cpu, (i, t, r) -> 4 + 0.4 * load.at(i, t, r) * (t < s.release ? 1 : cpuPerRequest) + 1.5 * r.nextGaussian())
                .oneBatch();
    }

    @Test
    void anonymisedCpuIsReadAsAUtilisationAndWeighedAgainstAnAnonymisedRequestRate() {
        Scenario s = anonymised(1.5, 1);
        GuardInput read = UtilisationFromData.of(RequestMetricsFromData.of(s.input(s.release)));
        assertThat(read.metrics().get("metric_1").measuresUtilisation()).isTrue();
        assertThat(read.metrics().get("metric_2").role()).isEqualTo(MetricRole.TRAFFIC);
        // a surge of load half again as busy lifts CPU with it: taken for memory, that was a leak
        assertThat(anyFail(s.run(judge, 25))).isFalse();
        // the same surge with CPU per request up 60%: the release's
        assertThat(anyFail(anonymised(1.5, 1.6).run(judge, 25))).isTrue();
    }

    @Test
    void memoryInGigabytesStaysMemoryThoughItStaysWithinAHundred() {
        Scenario s = new Scenario(60, 60, 5, 2, 4);
        MetricSpec gb = MetricSpec.of("metric_3", MetricKind.BASIC, Bad.INCREASE, "", null);
        s.metric(gb, (i, t, r) -> Scenario.noisy(r, 3.2, 0.003)).oneBatch();
        assertThat(UtilisationFromData.of(s.input(s.release)).metrics().get("metric_3").measuresUtilisation()).isFalse();
    }

    @Test
    void cpuPeggedNearAHundredIsAUtilisationThoughItMovesLittleOfItsLevel() {
        Scenario s = new Scenario(60, 60, 5, 2, 4);
        MetricSpec pegged = MetricSpec.of("metric_1", MetricKind.BASIC, Bad.INCREASE, "", null);
        s.metric(pegged, (i, t, r) -> Math.min(100, 92 + 1.5 * r.nextGaussian())).oneBatch();
        assertThat(UtilisationFromData.of(s.input(s.release)).metrics().get("metric_1").measuresUtilisation()).isTrue();
    }
}
