package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.graywatch.core.funnel.GraywatchJudgeTest.CPU;
import static io.graywatch.core.funnel.GraywatchJudgeTest.ERROR_RATE;
import static io.graywatch.core.funnel.GraywatchJudgeTest.LATENCY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Releases whose background is real: request counts of an AWS load balancer shared by the fleet
 * (each instance gets its own share and jitter), and each instance's CPU a different stretch of a
 * real EC2 CPU series, bursts and all. Healthy releases must pass; a real fault on top must not.
 */
class RealNoiseTest {
    static final NabExcerpt ELB = NabExcerpt.load("elb_request_count_8c0756");
    static final NabExcerpt EC2_CPU = NabExcerpt.load("ec2_cpu_utilization_24ae8d");
    static final MetricSpec EXCEPTIONS = MetricSpec.of("exceptions", MetricKind.LOG, Bad.INCREASE, "", MetricRole.ERROR_COUNT);

    final GraywatchJudge judge = new GraywatchJudge();

    /**
     * What the new version does on the released instances.
     *
     * @param errorRate     percentage points of errors added (and ten times as many exceptions per minute)
     * @param latencyFactor how much slower it answers
     * @param trafficShare  the share of its traffic it keeps
     */
    record Fault(double errorRate, double latencyFactor, double trafficShare) {
        static final Fault NONE = new Fault(0, 1, 1);
    }

    /** A fleet of 2 released and 6 reference instances whose release starts at sample {@code offset} of the excerpts. */
    static Scenario realFleet(int offset, Fault fault) {
        return realFleet(offset, fault, 2, 6);
    }

    static Scenario realFleet(int offset, Fault fault, int released, int reference) {
        Scenario s = new Scenario(60, 60, 40, released, reference);
        s.metric(REQUESTS, (i, t, r) -> traffic(s, offset, i, t, r) * (s.isReleased(i, t) ? fault.trafficShare() : 1))
                .metric(LATENCY, (i, t, r) -> (80 + 0.8 * traffic(s, offset, i, t, r)) * (1 + 0.08 * r.nextGaussian())
                        * (s.isReleased(i, t) ? fault.latencyFactor() : 1))
                .metric(ERROR_RATE, (i, t, r) -> Math.max(0, 0.2 + 0.004 * traffic(s, offset, i, t, r) + 0.1 * r.nextGaussian()
                        + (s.isReleased(i, t) ? fault.errorRate() : 0)))
                .metric(CPU, (i, t, r) -> 100 * EC2_CPU.at(index(s, offset, t) + 37L * s.all().indexOf(i)))
                .metric(EXCEPTIONS, (i, t, r) -> Math.max(0, Math.round(traffic(s, offset, i, t, r) / 20 + r.nextGaussian()
                        + (s.isReleased(i, t) ? 10 * fault.errorRate() : 0))));
        return s.oneBatch();
    }

    private static long index(Scenario s, int offset, long t) {
        return offset + (t - Scenario.T0) / s.step;
    }

    private static double traffic(Scenario s, int offset, String instance, long t, java.util.Random r) {
        double share = 0.8 + 0.05 * s.all().indexOf(instance);
        return ELB.at(index(s, offset, t)) / 5 * share * (1 + 0.1 * r.nextGaussian());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, 200, 300, 400, 500})
    void healthyReleaseOnRealNoiseNeverFails(int offset) {
        List<RoundResult> rounds = realFleet(offset, Fault.NONE).run(judge, 40);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
        assertThat(rounds.get(rounds.size() - 1).verdict()).isIn(Verdict.PASS, Verdict.WARN);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, 200, 300, 400, 500})
    void errorRateFaultOnRealNoiseIsIntercepted(int offset) {
        List<RoundResult> rounds = realFleet(offset, new Fault(3, 1, 1)).run(judge, 40);
        assertThat(firstFail(rounds)).isBetween(2, 8);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, 200, 300, 400, 500})
    void latencyFaultOnRealNoiseIsIntercepted(int offset) {
        List<RoundResult> rounds = realFleet(offset, new Fault(0, 1.6, 1)).run(judge, 40);
        assertThat(firstFail(rounds)).isBetween(2, 8);
    }

    /** Real request counts swing by a factor of two within the hour: the release's own history cannot show the loss, the reference can. */
    @ParameterizedTest
    @ValueSource(ints = {0, 100, 200, 300, 400, 500})
    void halfTheTrafficLostOnRealNoiseIsIntercepted(int offset) {
        List<RoundResult> rounds = realFleet(offset, new Fault(0, 1, 0.5)).run(judge, 40);
        int first = firstFail(rounds);
        assertThat(first).isBetween(3, 10);
        assertThat(rounds.get(first).findings()).extracting(Finding::key).contains("metric:requests");
    }
}
