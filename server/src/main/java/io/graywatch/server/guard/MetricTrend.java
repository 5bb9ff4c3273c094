package io.graywatch.server.guard;

import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * One metric's recorded samples as the release page charts them: the release group against the
 * reference group, each as a mean line and as its instances' own thin lines, with marks at the
 * moments batches started, so a person sees the release group before and after it switched and
 * against the instances that did not.
 *
 * @param lines the means first, then the instances; times in Unix seconds, null values where a sample was missing
 */
public record MetricTrend(String metric, String unit, List<Line> lines, List<Mark> marks, int releaseInstances,
                          int referenceInstances) {
    /** More thin lines than this per group tell nothing more and slow the page down. */
    public static final int MAX_INSTANCE_LINES = 20;

    public enum Group { RELEASE, REFERENCE }

    public record Line(String name, Group group, boolean mean, long[] times, Double[] values) {
    }

    public record Mark(long at, String label) {
    }

    /**
     * @param releaseGroup the instances that got the new version (at any time); every other instance with samples is reference
     * @param step         the guard's step: samples of different instances in one step are averaged together
     */
    public static MetricTrend of(String metric, String unit, Observations samples, Set<String> releaseGroup, List<Mark> marks,
                                 long step) {
        List<String> release = new ArrayList<>(), reference = new ArrayList<>();
        for (String instance : samples.instances()) {
            if (samples.series(instance, metric).isEmpty()) continue;
            (releaseGroup.contains(instance) ? release : reference).add(instance);
        }
        List<Line> lines = new ArrayList<>();
        if (!release.isEmpty()) lines.add(mean("release group mean", Group.RELEASE, samples, metric, release, step));
        if (!reference.isEmpty()) lines.add(mean("reference group mean", Group.REFERENCE, samples, metric, reference, step));
        instanceLines(lines, Group.RELEASE, samples, metric, release);
        instanceLines(lines, Group.REFERENCE, samples, metric, reference);
        return new MetricTrend(metric, unit, List.copyOf(lines), List.copyOf(marks), release.size(), reference.size());
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** What the thin lines are, when some instances are left out. */
    public String caption() {
        String drawn = releaseInstances > MAX_INSTANCE_LINES || referenceInstances > MAX_INSTANCE_LINES
                ? "; thin lines: the first " + MAX_INSTANCE_LINES + " instances of each group" : "; thin lines: each instance";
        return "bold: mean of the release group (" + releaseInstances + " instances) and of the reference group ("
                + referenceInstances + " instances)" + drawn;
    }

    private static void instanceLines(List<Line> lines, Group group, Observations samples, String metric, List<String> instances) {
        for (String instance : instances.subList(0, Math.min(instances.size(), MAX_INSTANCE_LINES))) {
            Series s = samples.series(instance, metric);
            Double[] values = new Double[s.size()];
            for (int i = 0; i < s.size(); i++) values[i] = finite(s.value(i));
            lines.add(new Line(instance, group, false, s.times(), values));
        }
    }

    private static Line mean(String name, Group group, Observations samples, String metric, List<String> instances, long step) {
        TreeMap<Long, double[]> sums = new TreeMap<>();
        for (String instance : instances) {
            Series s = samples.series(instance, metric);
            for (int i = 0; i < s.size(); i++) {
                double[] sum = sums.computeIfAbsent(Math.floorDiv(s.time(i), step) * step, t -> new double[2]);
                if (Double.isFinite(s.value(i))) {
                    sum[0] += s.value(i);
                    sum[1]++;
                }
            }
        }
        long[] times = new long[sums.size()];
        Double[] values = new Double[sums.size()];
        int i = 0;
        for (var e : sums.entrySet()) {
            times[i] = e.getKey();
            values[i++] = e.getValue()[1] == 0 ? null : e.getValue()[0] / e.getValue()[1];
        }
        return new Line(name, group, true, times, values);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
