package io.graywatch.core.funnel;

import io.graywatch.core.guard.FindingDetector;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.RoundResult;

import java.util.List;

/**
 * Graywatch's own judge: the detection funnel. Extra detectors (logs, app-specific rules) are
 * consulted every round; their rule-stage FAIL findings intercept at once, everything else they
 * report goes through the funnel's vote like a metric suspicion.
 */
public final class GraywatchJudge implements Judge {
    public static final String ALGORITHM = "graywatch";
    /** Bump whenever a change alters verdicts, so recordings say which funnel judged them. */
    public static final String VERSION = "funnel-56";

    private final Funnel funnel;

    public GraywatchJudge() {
        this(List.of());
    }

    public GraywatchJudge(List<FindingDetector> detectors) {
        this.funnel = new Funnel(detectors);
    }

    @Override
    public String algorithm() { return ALGORITHM; }

    @Override
    public String version() { return VERSION; }

    @Override
    public RoundResult judge(GuardInput input, GuardState state) {
        return funnel.run(input, state);
    }
}
