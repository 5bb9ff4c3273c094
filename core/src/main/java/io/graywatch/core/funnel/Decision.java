package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.verdict.Verdict;

import java.util.List;

/**
 * Stage 8: FAIL if any finding fails; INCONCLUSIVE when the round cannot vouch for the release
 * (too little traffic, the latest batch still warming up, nothing judged); WARN for anomalies
 * worth a look; PASS otherwise. And the one sentence that says why.
 */
final class Decision {
    private Decision() {
    }

    static Verdict verdict(List<Finding> findings, GuardInput input, Fleet fleet, Traffic traffic, int judged) {
        Verdict worst = findings.stream().map(Finding::severity).reduce(Verdict.PASS, Verdict::worst);
        if (worst == Verdict.FAIL) return Verdict.FAIL;
        // too little to judge outranks a WARN: a WARN lets the release go on, which no data must never do
        if (inconclusive(input, fleet, traffic, judged) != null) return Verdict.INCONCLUSIVE;
        return worst;
    }

    /** Why this round cannot vouch for the release, or null when it can. */
    private static String inconclusive(GuardInput input, Fleet fleet, Traffic traffic, int judged) {
        GuardConfig cfg = input.config();
        if (traffic.low())
            return "traffic is " + Describe.number(traffic.perInstance()) + " requests per second per released instance, below the "
                    + Describe.number(cfg.minTrafficPerInstance()) + " needed to judge requests";
        Batch latest = input.release().currentBatch(input.now());
        long ready = latest.at() + cfg.warmupSeconds() + (long) (cfg.minSamples() - 1) * input.stepSeconds();
        if (input.now() < ready)
            return "batch " + input.release().startedBy(input.now()).size() + " started " + (input.now() - latest.at()) + " s ago; waiting for its " + cfg.warmupSeconds()
                    + " s warm-up and " + cfg.minSamples() + " samples";
        if (judged == 0)
            return "no metric has " + cfg.minSamples() + " samples after the warm-up on the released instances and a baseline to compare with"
                    + ignored(fleet);
        return null;
    }

    static String reason(List<Finding> findings, GuardInput input, Fleet fleet, Traffic traffic, int judged) {
        Verdict v = verdict(findings, input, fleet, traffic, judged);
        long fails = findings.stream().filter(f -> f.severity() == Verdict.FAIL).count();
        return switch (v) {
            case FAIL -> findings.get(0).reason() + (fails > 1 ? " (and " + Describe.plural((int) fails - 1, "more failing finding") + ")" : "");
            case INCONCLUSIVE -> "not enough to judge: " + inconclusive(input, fleet, traffic, judged);
            case WARN -> "worth a look, not blocking: " + findings.get(0).reason();
            case PASS -> "no change attributable to the release in " + Describe.plural(judged, "metric") + " on "
                    + Describe.instances(fleet.released().size(), "released") + " against "
                    + (fleet.reference().isEmpty() ? "their own history" : Describe.instances(fleet.reference().size(), "reference"))
                    + ignored(fleet);
        };
    }

    private static String ignored(Fleet fleet) {
        if (fleet.ignored().isEmpty()) return "";
        return "; ignored " + Describe.plural(fleet.ignored().size(), "instance") + " that restarted during the window ("
                + String.join(", ", fleet.ignored().keySet()) + ")";
    }
}
