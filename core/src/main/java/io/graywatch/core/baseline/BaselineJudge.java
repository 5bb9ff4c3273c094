package io.graywatch.core.baseline;

import io.graywatch.core.funnel.clean.CountersAsRates;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.MetricSpec;

import java.util.List;

/**
 * What the baseline judges share: they keep no memory between rounds (only the round count moves
 * on), and they judge the same metrics the funnel does, counters as rates as it does, so a comparison is on equal data.
 */
abstract sealed class BaselineJudge implements Judge permits KayentaJudge, ThresholdJudge {
    private final String algorithm;

    BaselineJudge(String algorithm) {
        this.algorithm = algorithm;
    }

    @Override
    public final String algorithm() { return algorithm; }

    @Override
    public final String version() { return "1"; }

    @Override
    public final RoundResult judge(GuardInput input, GuardState state) {
        // a raw counter as rate() would give it (a summary's sum and count as their mean), as the query of a Kayenta canary config or a Flagger metric template
        // asks for it: a counter that climbs for hours, and starts from zero on every new pod, says nothing judged as it is
        return judge(CountersAsRates.ofRaw(input), input.now(), new GuardState(state.rounds() + 1, state.suspicion()));
    }

    abstract RoundResult judge(GuardInput input, long now, GuardState next);

    /** A process's start time tells restarts; comparing it between versions would only say the new ones started later. */
    static List<MetricSpec> judged(GuardInput input) {
        return input.metrics().values().stream().filter(m -> !Fleet.isStartTime(m.name())).toList();
    }
}
