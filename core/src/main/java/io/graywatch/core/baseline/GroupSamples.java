package io.graywatch.core.baseline;

import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;

import java.util.Collection;
import java.util.List;
import java.util.Arrays;

/**
 * What the baselines read from a group of instances: their samples of one metric in a window,
 * taken only after each released instance switched, so old-version samples never count as new.
 */
final class GroupSamples {
    private GroupSamples() {
    }

    /**
     * The group's mean at each step in {@code (from, to]}: one aggregated series per group, the
     * shape a canary analysis query returns.
     *
     * @param newVersionOnly drop each released instance's samples up to its switch
     */
    static double[] meansByStep(GuardInput input, Collection<String> instances, String metric, long from, long to,
                                boolean newVersionOnly) {
        long step = input.stepSeconds();
        long first = Math.floorDiv(from + 1, step);
        int steps = (int) Math.max(0, Math.floorDiv(to, step) - first + 1);
        double[] sum = new double[steps];
        int[] count = new int[steps];
        for (String instance : instances) {
            Series s = input.observations().series(instance, metric).between(start(input, instance, from, newVersionOnly), to + 1);
            for (int i = 0; i < s.size(); i++) {
                double v = s.value(i);
                if (!Double.isFinite(v)) continue;
                int k = (int) (Math.floorDiv(s.time(i), step) - first);
                sum[k] += v;
                count[k]++;
            }
        }
        int n = 0;
        for (int k = 0; k < steps; k++) if (count[k] > 0) sum[n++] = sum[k] / count[k];
        return Arrays.copyOf(sum, n);
    }

    /**
     * The means of two groups over the steps in {@code (from, to]} where both have data, so that
     * a group that started late is not compared with the other group's earlier peaks: NaN when
     * there is no such step. The first group counts only new-version samples.
     */
    static double[] alignedMeans(GuardInput input, Collection<String> release, Collection<String> reference, String metric, long from, long to) {
        long step = input.stepSeconds();
        long first = Math.floorDiv(from + 1, step);
        int steps = (int) Math.max(0, Math.floorDiv(to, step) - first + 1);
        double[][] sum = new double[2][steps];
        int[][] count = new int[2][steps];
        int g = 0;
        for (Collection<String> group : List.of(release, reference)) {
            for (String instance : group) {
                Series s = input.observations().series(instance, metric).between(start(input, instance, from, g == 0), to + 1);
                for (int i = 0; i < s.size(); i++) {
                    if (!Double.isFinite(s.value(i))) continue;
                    int k = (int) (Math.floorDiv(s.time(i), step) - first);
                    sum[g][k] += s.value(i);
                    count[g][k]++;
                }
            }
            g++;
        }
        double a = 0, b = 0;
        int n = 0;
        for (int k = 0; k < steps; k++) {
            if (count[0][k] == 0 || count[1][k] == 0) continue;
            a += sum[0][k] / count[0][k];
            b += sum[1][k] / count[1][k];
            n++;
        }
        return n == 0 ? new double[]{Double.NaN, Double.NaN} : new double[]{a / n, b / n};
    }

    /**
     * The group's mean over all its samples in {@code (from, to]}, NaN when there is none. A rate
     * of requests is weighted by the instance's traffic at the same moment, as a
     * sum(errors) / sum(requests) query would be, whenever traffic was recorded.
     */
    static double mean(GuardInput input, Collection<String> instances, MetricSpec metric, long from, long to,
                       boolean newVersionOnly) {
        boolean rate = metric.role() == MetricRole.ERROR_RATE || metric.role() == MetricRole.SUCCESS_RATE;
        String traffic = rate ? trafficMetric(input) : null;
        double sum = 0, count = 0, weightedSum = 0, weights = 0;
        for (String instance : instances) {
            Series s = input.observations().series(instance, metric.name()).between(start(input, instance, from, newVersionOnly), to + 1);
            Series w = traffic == null ? Series.empty() : input.observations().series(instance, traffic);
            int j = 0;
            for (int i = 0; i < s.size(); i++) {
                double v = s.value(i);
                if (!Double.isFinite(v)) continue;
                sum += v;
                count++;
                while (j < w.size() && w.time(j) < s.time(i)) j++;
                if (j < w.size() && w.time(j) == s.time(i) && Double.isFinite(w.value(j))) {
                    weightedSum += v * w.value(j);
                    weights += w.value(j);
                }
            }
        }
        if (weights > 0) return weightedSum / weights;
        return count == 0 ? Double.NaN : sum / count;
    }

    private static long start(GuardInput input, String instance, long from, boolean newVersionOnly) {
        Long switched = newVersionOnly ? input.release().switchedAt(instance, input.now()) : null;
        return (switched == null ? from : Math.max(from, switched)) + 1;
    }

    private static String trafficMetric(GuardInput input) {
        for (MetricSpec m : BaselineJudge.judged(input)) if (m.role() == MetricRole.TRAFFIC) return m.name();
        return null;
    }
}
