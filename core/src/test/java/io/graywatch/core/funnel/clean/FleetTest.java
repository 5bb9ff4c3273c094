package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FleetTest {
    static final long STEP = 60, T = 1_700_003_600L - 1_700_003_600L % 60;

    static GuardInput at(long now, List<Batch> batches) {
        ReleaseView view = new ReleaseView("app", "v1", "v2", T, batches, null);
        // the reference instances report; the released ones need not for how the fleet is laid out
        Series reported = Series.of(new long[]{T - STEP}, new double[]{1});
        Observations obs = Observations.builder().put("f1", "cpu", reported).put("f2", "cpu", reported).build();
        return new GuardInput(view, now, STEP, Map.of(), Set.of("f1", "f2"), obs, LogData.empty(60), GuardConfig.defaults());
    }

    @Test
    void anInstanceThatHasReportedNothingYetIsNoReference() {
        // a pod of a later batch, listed by name before it exists
        ReleaseView view = new ReleaseView("app", "v1", "v2", T, List.of(new Batch(1, T, List.of("r1"), false),
                new Batch(2, T + 20 * STEP, List.of("r2"), false)), null);
        Observations obs = Observations.builder().put("f1", "cpu", Series.of(new long[]{T - STEP}, new double[]{1})).build();
        Fleet fleet = Fleet.of(new GuardInput(view, T + 5 * STEP, STEP, Map.of(), Set.of("f1", "r1", "r2"), obs, LogData.empty(60), GuardConfig.defaults()));
        assertThat(fleet.reference()).extracting(Fleet.Member::id).containsExactly("f1");
    }

    @Test
    void beforeASecondBatchThereIsNoLatestBatchToAskAbout() {
        assertThat(Fleet.of(at(T + 600, List.of(new Batch(1, T, List.of("r1", "r2"), false)))).joinedBy()).isNull();
    }

    @Test
    void theEarlierBatchesSwitchWhenTheLatestJoinsWhichIsLeftOutAndTheirAfterPartWaitsForItsWarmUp() {
        long third = T + 30 * STEP;
        Fleet fleet = Fleet.of(at(third + 10 * STEP, List.of(new Batch(1, T, List.of("r1"), false),
                new Batch(2, T + 15 * STEP, List.of("r2", "r3"), false), new Batch(3, third, List.of("r4"), false))));
        Fleet joined = fleet.joinedBy();
        assertThat(joined.joinedBatch()).isEqualTo(3);
        assertThat(joined.released()).extracting(Fleet.Member::id).containsExactly("r1", "r2", "r3");
        assertThat(joined.released()).allMatch(m -> m.switchAt() == third);
        assertThat(joined.reference()).extracting(Fleet.Member::id).containsExactlyInAnyOrder("f1", "f2");
        // what came before the batch joined is the baseline; the minute of its warm-up is in no part
        assertThat(joined.baselineEnd()).isEqualTo(fleet.bucket(third - 1));
        assertThat(joined.afterWindowStart()).isEqualTo(fleet.bucket(third + GuardConfig.defaults().warmupSeconds()));
        assertThat(fleet.joinedBatch()).isZero();
    }
}
