package io.graywatch.core.funnel.rule;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.Describe;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.logs.LogDetector;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dangerous exception type (linkage and class-loading errors, out of memory, stack overflow:
 * the configured list) logged by released instances after their switch, and never by the
 * reference group nor by the released instances before their switch within the history window.
 * Pre-release instances count: catching this before users see it is what they are for. Restarted
 * instances count too: a crash is no reason to look away from what was logged. What counts as
 * such a sighting is {@link LogDetector#newDangerousTypes}, so that the log detector leaves these
 * groups to this rule instead of repeating them.
 */
public final class DangerousExceptionRule implements Rule {
    @Override
    public List<Finding> apply(RuleContext ctx) {
        GuardInput in = ctx.input();
        List<Finding> out = new ArrayList<>();
        for (LogDetector.DangerousSighting s : LogDetector.newDangerousTypes(in, ctx.fleet().from())) {
            Map<String, Double> evidence = new LinkedHashMap<>();
            evidence.put("count", (double) s.count());
            evidence.put("instances", (double) s.instances().size());
            evidence.put("referenceCount", 0.0);
            evidence.put("historyCount", 0.0);
            int refs = in.referenceGroup().size();
            String reason = s.type() + " logged " + Describe.plural((int) s.count(), "time") + " on "
                    + Describe.instances(s.instances().size(), "released") + " since the switch, never on "
                    + (refs == 0 ? "any instance" : Describe.instances(refs, "reference")) + " nor before the release";
            out.add(new Finding("rule:exception:" + s.type(), Finding.Source.RULE, Verdict.FAIL, s.type(),
                    "rule", reason, evidence, s.instances()));
        }
        return out;
    }
}
