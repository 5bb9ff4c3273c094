package io.graywatch.replay.report;

import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.harness.CaseOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The cases whose outcome (intercepted or not) changed since another run's verdicts.csv. */
public final class Comparison {
    /**
     * @param before the other run's row, null when that run did not have the case
     * @param effect in words: a false alarm fixed, an interception lost, …
     */
    public record Change(String caseId, Verdicts.Row before, CaseOutcome now, String effect) {
    }

    private Comparison() {
    }

    public static List<Change> changes(List<CaseOutcome> outcomes, Map<String, Verdicts.Row> other, Map<String, Label> labels) {
        List<Change> out = new ArrayList<>();
        for (CaseOutcome o : outcomes) {
            Verdicts.Row before = other.get(o.caseId());
            boolean was = before != null && before.intercepted();
            if (before != null && was == o.intercepted()) continue;
            Label l = labels == null ? null : labels.get(o.caseId());
            String effect;
            if (before == null) effect = "not in the other run";
            else if (l == null) effect = o.intercepted() ? "now intercepted" : "no longer intercepted";
            else if (l.bad()) effect = o.intercepted() ? "miss fixed (now intercepted)" : "interception lost (now a miss)";
            else effect = o.intercepted() ? "new false alarm" : "false alarm fixed";
            out.add(new Change(o.caseId(), before, o, effect));
        }
        return out;
    }
}
