package io.graywatch.core.funnel.rule;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.Describe;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A dangerous exception type (linkage and class-loading errors, out of memory, stack overflow:
 * the configured list) logged by released instances after their switch, and never by the
 * reference group nor by the released instances before their switch within the history window.
 * Pre-release instances count: catching this before users see it is what they are for. Restarted
 * instances count too: a crash is no reason to look away from what was logged.
 */
public final class DangerousExceptionRule implements Rule {
    @Override
    public List<Finding> apply(RuleContext ctx) {
        GuardInput in = ctx.input();
        LogData logs = in.logs();
        long from = ctx.fleet().from(), now = in.now();
        List<Finding> out = new ArrayList<>();
        for (String type : in.config().dangerousExceptions()) {
            Set<String> groups = new TreeSet<>();
            for (LogGroup g : logs.groups().values()) if (g.kind() == LogGroup.Kind.EXCEPTION && g.involves(type)) groups.add(g.id());
            if (groups.isEmpty()) continue;
            long after = 0, history = 0, reference = 0;
            Map<String, Long> byInstance = new LinkedHashMap<>();
            for (LogCount c : logs.counts()) {
                if (!groups.contains(c.groupId()) || c.bucketStart() < from || c.bucketStart() > now || c.count() <= 0) continue;
                Long switchedAt = in.release().switchedAt(c.instance(), now);
                if (switchedAt == null) {
                    reference += c.count();
                } else if (c.bucketStart() + logs.bucketSeconds() > switchedAt) {
                    after += c.count();
                    byInstance.merge(c.instance(), c.count(), Long::sum);
                } else {
                    history += c.count();
                }
            }
            if (after == 0 || history > 0 || reference > 0) continue;
            Map<String, Double> evidence = new LinkedHashMap<>();
            evidence.put("count", (double) after);
            evidence.put("instances", (double) byInstance.size());
            evidence.put("referenceCount", 0.0);
            evidence.put("historyCount", 0.0);
            int refs = in.referenceGroup().size();
            String reason = type + " logged " + Describe.plural((int) after, "time") + " on "
                    + Describe.instances(byInstance.size(), "released") + " since the switch, never on "
                    + (refs == 0 ? "any instance" : Describe.instances(refs, "reference")) + " nor before the release";
            out.add(new Finding("rule:exception:" + type, Finding.Source.RULE, Verdict.FAIL, type,
                    "rule", reason, evidence, List.copyOf(byInstance.keySet())));
        }
        return out;
    }
}
