package io.graywatch.core.funnel.vote;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stage 7: a suspicion becomes a FAIL only when it was suspicious in k of the last n rounds.
 * The window adapts to the evidence: overwhelming evidence with a reference group fails at
 * once, evidence without a reference group must persist one round longer. Until confirmed, a
 * suspicion is shown as a WARN. The history of every key lives in {@link GuardState}, so a
 * restarted server resumes the vote where it was.
 */
public final class Vote {
    /** How much a suspicion's own evidence is worth. */
    public enum Strength { STRONG, NORMAL, WEAK }

    /**
     * @param finding its severity is the most it may become: FAIL, or WARN when it must never block
     */
    public record Suspicion(Finding finding, Strength strength) {
    }

    public record Outcome(List<Finding> findings, GuardState state) {
    }

    private final int k;
    private final int n;

    public Vote(int k, int n) {
        this.k = k;
        this.n = n;
    }

    /** Votes needed and rounds looked at for a strength. */
    public int[] window(Strength s) {
        return switch (s) {
            case STRONG -> new int[]{1, 1};
            case NORMAL -> new int[]{k, n};
            case WEAK -> new int[]{k + 1, n + 1};
        };
    }

    public Outcome apply(GuardState previous, List<Suspicion> suspicions) {
        Map<String, Suspicion> current = new LinkedHashMap<>();
        for (Suspicion s : suspicions) current.putIfAbsent(s.finding().key(), s);
        TreeSet<String> keys = new TreeSet<>(previous.suspicion().keySet());
        keys.addAll(current.keySet());
        Map<String, List<Boolean>> next = new TreeMap<>();
        for (String key : keys) {
            List<Boolean> h = new ArrayList<>(previous.suspicion().getOrDefault(key, List.of()));
            h.add(current.containsKey(key));
            while (h.size() > n + 1) h.remove(0);
            if (h.contains(Boolean.TRUE)) next.put(key, h);
        }
        List<Finding> out = new ArrayList<>();
        for (Suspicion s : current.values()) {
            List<Boolean> h = next.get(s.finding().key());
            int[] w = window(s.strength());
            int votes = 0;
            for (int i = Math.max(0, h.size() - w[1]); i < h.size(); i++) if (h.get(i)) votes++;
            out.add(decide(s.finding(), votes, w[0], w[1]));
        }
        return new Outcome(out, new GuardState(previous.rounds() + 1, next));
    }

    private static Finding decide(Finding f, int votes, int needed, int window) {
        boolean confirmed = votes >= needed;
        Map<String, Double> evidence = new LinkedHashMap<>(f.evidence());
        evidence.put("votes", (double) votes);
        evidence.put("votesNeeded", (double) needed);
        evidence.put("voteWindow", (double) window);
        Verdict severity = confirmed ? f.severity() : Verdict.WARN;
        String stage = confirmed && f.severity() == Verdict.FAIL ? "vote" : f.stage();
        String reason = confirmed ? f.reason()
                : f.reason() + " (suspicious in " + votes + " of the last " + window + " rounds, " + needed + " needed to fail)";
        return new Finding(f.key(), f.source(), severity, f.subject(), stage, reason, evidence, f.instances());
    }
}
