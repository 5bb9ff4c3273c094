package io.graywatch.core.funnel;

import io.graywatch.core.funnel.attribution.Attributor;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.StageSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether the totals of a business count agree with a change: the check a rank-test finding on orders must pass. */
class CountsAgreeTest {
    final Attributor attributor = new Attributor(3);

    /**
     * Two released instances, the second one 30 minutes after the first, while the day's load grows
     * fivefold over the 40 minutes after the release: the second instance's own past reaches well into
     * the climb, the reference group's baseline does not.
     */
    Scenario climbing(double releasedShare) {
        Scenario s = new Scenario(60, 60, 50, 2, 4);
        java.util.function.LongToDoubleFunction load = t -> 1 + 4 * Math.min(1, Math.max(0, (t - s.release) / 2400.0));
        s.metric(EvidenceTest.ORDERS, (i, t, r) -> Scenario.poisson(r, 10 * load.applyAsDouble(t) * (s.isReleased(i, t) ? releasedShare : 1)));
        s.batch(s.release, List.of("app-r1"), false).batch(s.release + 1800, List.of("app-r2"), false);
        return s;
    }

    private boolean agree(Scenario s) {
        GuardInput in = s.input(s.release + 2400);
        MetricSeries ms = MetricSeries.of(in, Fleet.of(in), EvidenceTest.ORDERS, StageSettings.Model.RATIO);
        return attributor.countsAgree(ms, 0.005);
    }

    @Test
    void ordersThatFollowTheDaysClimbOnBothGroupsDoNotAgreeWithADrop() {
        assertThat(agree(climbing(1.0))).isFalse();
    }

    @Test
    void ordersDownByAThirdOnTheReleasedInstancesDoAgree() {
        assertThat(agree(climbing(0.67))).isTrue();
    }
}
