package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A one-replica rollout: shop-v1-a serves until the switch, shop-v2-b from it on. */
class SuccessionTest {
    static final long STEP = 60, SWITCH = 1_700_003_600L - 1_700_003_600L % 60;

    /** A sample a minute of the given value, stamped from {@code from} to {@code to} inclusive. */
    static Series minutes(long from, long to, double value) {
        long[] t = LongStream.iterate(from, x -> x <= to, x -> x + STEP).toArray();
        double[] v = new double[t.length];
        java.util.Arrays.fill(v, value);
        return Series.of(t, v);
    }

    static GuardInput round(long now, Observations obs, LogData logs, String... instances) {
        ReleaseView view = new ReleaseView("shop", "v1", "v2", SWITCH, List.of(new Batch(1, SWITCH, List.of("shop-v2-b"), false)), null);
        return new GuardInput(view, now, STEP, Map.of(), Set.of(instances), obs, logs, GuardConfig.defaults());
    }

    /** Each pod's latency. */
    static Observations latency(Map<String, Series> pods) {
        Observations.Builder b = Observations.builder();
        pods.forEach((pod, s) -> b.put(pod, "latency_ms", s));
        return b.build();
    }

    /** The old pod's hour before the switch at 10 ms; the new pod at 30 ms from its first minute until {@code now}. */
    static Observations rollout(long oldUntil, long now) {
        return latency(Map.of("shop-v1-a", minutes(SWITCH - 60 * STEP, oldUntil, 10), "shop-v2-b", minutes(SWITCH + 2 * STEP, now, 30)));
    }

    @Test
    void onceTheOldPodHasStoppedTheNewOneContinuesItsPast() {
        long now = SWITCH + 10 * STEP;
        LogData logs = new LogData(Map.of(), List.of(new LogCount(SWITCH - STEP, "shop-v1-a", "g", 3),
                new LogCount(SWITCH, "shop-v1-a", "g", 5), new LogCount(SWITCH + STEP, "shop-v2-b", "g", 7)), STEP);
        GuardInput joined = Succession.of(round(now, rollout(SWITCH, now), logs, "shop-v1-a", "shop-v2-b"));

        assertThat(joined.instances()).containsExactly("shop-v2-b");
        assertThat(joined.referenceGroup()).isEmpty();
        Series s = joined.observations().series("shop-v2-b", "latency_ms");
        // the hour before the switch is the old pod's, the rest the new pod's own
        assertThat(s.between(Long.MIN_VALUE, SWITCH + 1).size()).isEqualTo(61);
        assertThat(s.between(Long.MIN_VALUE, SWITCH + 1).finiteValues()).containsOnly(10.0);
        assertThat(s.between(SWITCH + 1, Long.MAX_VALUE).finiteValues()).hasSize(9).containsOnly(30.0);
        // what it logged up to the switch is the old version's past; what the old pod logged after it, nobody's
        assertThat(joined.logs().counts()).containsExactly(new LogCount(SWITCH - STEP, "shop-v2-b", "g", 3),
                new LogCount(SWITCH + STEP, "shop-v2-b", "g", 7));
    }

    @Test
    void whileTheOldPodStillServesItIsTheReference() {
        long now = SWITCH + 3 * STEP;
        GuardInput in = round(now, rollout(now, now), LogData.empty(STEP), "shop-v1-a", "shop-v2-b");
        assertThat(Succession.of(in)).isSameAs(in);
        assertThat(in.referenceGroup()).containsExactly("shop-v1-a");
    }

    @Test
    void anOldPodSilentForTwoStepsHasStopped() {
        // its last sample two minutes after the switch: gone by the fourth minute, not by the third
        Observations obs = rollout(SWITCH + 2 * STEP, SWITCH + 4 * STEP);
        assertThat(Succession.of(round(SWITCH + 3 * STEP, obs, LogData.empty(STEP), "shop-v1-a", "shop-v2-b")).instances()).hasSize(2);
        assertThat(Succession.of(round(SWITCH + 4 * STEP, obs, LogData.empty(STEP), "shop-v1-a", "shop-v2-b")).instances()).containsExactly("shop-v2-b");
    }

    @Test
    void amongSeveralOldPodsNoneIsTakenForTheNewOnesPredecessor() {
        long now = SWITCH + 10 * STEP;
        Observations obs = latency(Map.of("shop-v1-a", minutes(SWITCH - 60 * STEP, SWITCH, 10),
                "shop-v1-c", minutes(SWITCH - 60 * STEP, SWITCH, 14), "shop-v2-b", minutes(SWITCH + 2 * STEP, now, 30)));
        GuardInput in = round(now, obs, LogData.empty(STEP), "shop-v1-a", "shop-v1-c", "shop-v2-b");
        assertThat(Succession.of(in)).isSameAs(in);
    }

    @Test
    void aPodUpgradedInPlaceHasAPastOfItsOwnAndKeepsIt() {
        long now = SWITCH + 10 * STEP;
        Observations obs = latency(Map.of("shop-v1-a", minutes(SWITCH - 60 * STEP, SWITCH, 10), "shop-v2-b", minutes(SWITCH - 60 * STEP, now, 12)));
        GuardInput in = round(now, obs, LogData.empty(STEP), "shop-v1-a", "shop-v2-b");
        assertThat(Succession.of(in)).isSameAs(in);
    }
}
