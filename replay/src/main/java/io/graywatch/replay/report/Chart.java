package io.graywatch.replay.report;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.clean.CountersAsRates;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.replay.harness.LogGrouping;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The data of one report chart: the signal that mattered in a case, as the release group's and
 * the reference group's per-step mean (or log events per step), with the batches, the onset and
 * the decision marked. At each step an instance counts in the group it was in then, so before
 * the first batch everything is reference, and a single instance's line turns from one colour
 * to the other at its switch.
 *
 * @param release   per-step values of the instances on the new version at that step (NaN where none)
 * @param reference per-step values of the instances still on the old one
 */
public record Chart(String subject, String unit, long[] times, double[] release, double[] reference,
                    List<Long> batches, Long onset, Long decidedAt) {

    /**
     * The chart for a false alarm or a miss, null for a case scored right (or unlabelled). The
     * signal is the first finding's metric or log group; for a miss without findings, the
     * metric whose release group moved furthest from the reference group in its bad direction.
     */
    public static Chart forMistake(ReleaseCase c, CaseOutcome o, Label label, Supplier<LogGrouping> grouping) {
        if (label == null || label.bad() == o.intercepted()) return null;
        Map<String, Long> released = new HashMap<>();
        for (Batch b : c.batches()) for (String i : b.instances()) released.putIfAbsent(i, b.at());
        List<Long> batches = c.batches().stream().map(Batch::at).toList();
        // 45 minutes of history are enough to see the usual before the release; the release gets the rest of the width
        long from = Math.max(c.windowFrom(), c.firstBatchAt() - 2700);
        long step = c.stepSeconds();
        int n = (int) Math.min(2000, (c.end() - from) / step + 1);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) times[i] = from + i * step;
        GuardInput judged = judged(c);
        for (Finding f : o.findings()) {
            if (judged.metrics().containsKey(f.subject())) return metricChart(c, judged, judged.metrics().get(f.subject()), released, times, batches, label, o);
            Chart logChart = logChart(c, f.subject(), released, times, batches, label, o, grouping.get());
            if (logChart != null) return logChart;
        }
        MetricSpec worst = null;
        double worstShift = Double.NEGATIVE_INFINITY;
        for (MetricSpec m : judged.metrics().values()) {
            Chart ch = metricChart(c, judged, m, released, times, batches, label, o);
            double shift = badShift(m, ch, c.firstBatchAt());
            if (shift > worstShift) {
                worstShift = shift;
                worst = m;
            }
        }
        return worst == null ? null : metricChart(c, judged, worst, released, times, batches, label, o);
    }

    /**
     * The case's metrics and series as the guard judged them: a raw counter as its rate, a summary's sum and count as
     * their mean. A chart of a counter climbing for hours shows nothing, and a finding's mean has no series of its own.
     */
    private static GuardInput judged(ReleaseCase c) {
        GuardInput raw = new GuardInput(c.viewAt(c.end()), c.end(), c.stepSeconds(), c.metrics(), c.instanceIds(), c.observations(),
                LogData.empty(c.stepSeconds()), GuardConfig.defaults());
        return CountersAsRates.ofRaw(raw);
    }

    private static Chart metricChart(ReleaseCase c, GuardInput judged, MetricSpec m, Map<String, Long> released, long[] times, List<Long> batches,
                                     Label l, CaseOutcome o) {
        double[] rel = new double[times.length], ref = new double[times.length], nRel = new double[times.length], nRef = new double[times.length];
        long step = c.stepSeconds();
        for (String instance : c.instanceIds()) {
            Series s = judged.observations().series(instance, m.name());
            long switched = released.getOrDefault(instance, Long.MAX_VALUE);
            for (int i = 0; i < s.size(); i++) {
                int k = (int) Math.floorDiv(s.time(i) - times[0], step);
                if (k < 0 || k >= times.length || !Double.isFinite(s.value(i))) continue;
                if (s.time(i) > switched) {
                    rel[k] += s.value(i);
                    nRel[k]++;
                } else {
                    ref[k] += s.value(i);
                    nRef[k]++;
                }
            }
        }
        for (int k = 0; k < times.length; k++) {
            rel[k] = nRel[k] == 0 ? Double.NaN : rel[k] / nRel[k];
            ref[k] = nRef[k] == 0 ? Double.NaN : ref[k] / nRef[k];
        }
        return new Chart(m.name(), m.unit(), times, rel, ref, batches, l.onset(), o.decidedAt());
    }

    private static Chart logChart(ReleaseCase c, String groupId, Map<String, Long> released, long[] times, List<Long> batches, Label l, CaseOutcome o,
                                  LogGrouping grouping) {
        double[] rel = new double[times.length], ref = new double[times.length];
        boolean any = false;
        String label = groupId;
        for (LogEvent e : c.logs().stream().sorted((a, b) -> Long.compare(a.timestamp(), b.timestamp())).toList()) {
            var g = grouping.groupOf(e);
            if (!g.id().equals(groupId)) continue;
            any = true;
            label = g.exceptionType() != null ? g.exceptionType() : g.template();
            int k = (int) Math.floorDiv(e.timestamp() - times[0], c.stepSeconds());
            if (k < 0 || k >= times.length) continue;
            if (e.timestamp() > released.getOrDefault(e.instance(), Long.MAX_VALUE)) rel[k] += e.count();
            else ref[k] += e.count();
        }
        return any ? new Chart("log: " + label, "events per step", times, rel, ref, batches, l.onset(), o.decidedAt()) : null;
    }

    /** How far the release group's mean after the first batch moved from the reference group's, in the bad direction, relative to it. */
    private static double badShift(MetricSpec m, Chart ch, long firstBatch) {
        double rel = meanAfter(ch.times, ch.release, firstBatch), ref = meanAfter(ch.times, ch.reference, firstBatch);
        if (Double.isNaN(ref)) ref = meanBefore(ch.times, ch.reference, firstBatch);
        if (Double.isNaN(rel) || Double.isNaN(ref)) return Double.NEGATIVE_INFINITY;
        double change = (rel - ref) / Math.max(Math.abs(ref), 1e-9);
        return switch (m.bad()) {
            case INCREASE -> change;
            case DECREASE -> -change;
            case EITHER -> Math.abs(change);
        };
    }

    private static double meanAfter(long[] t, double[] v, long from) {
        return mean(t, v, from, Long.MAX_VALUE);
    }

    private static double meanBefore(long[] t, double[] v, long to) {
        return mean(t, v, Long.MIN_VALUE, to);
    }

    private static double mean(long[] t, double[] v, long from, long to) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] > from && t[i] < to && Double.isFinite(v[i])) {
                s += v[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Chart c && subject.equals(c.subject) && Arrays.equals(times, c.times) && Arrays.equals(release, c.release)
                && Arrays.equals(reference, c.reference);
    }

    @Override
    public int hashCode() { return subject.hashCode() * 31 + Arrays.hashCode(times); }

    @Override
    public String toString() { return "Chart[" + subject + ", " + times.length + " steps]"; }

}
