package io.graywatch.core.funnel;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A hand-made release for tests: a fleet of instances sampled every {@code step} seconds, one
 * value function per metric, batches, and log counts. Noise is seeded per instance and metric, so
 * every run sees the same data.
 */
final class Scenario {
    /** A metric's value on an instance at time t; {@code rnd} is that instance's own seeded generator. */
    interface Values {
        double at(String instance, long t, Random rnd);
    }

    static final long T0 = 1_700_000_000L - 1_700_000_000L % 3600;

    final long step;
    final long release;
    final List<String> released = new ArrayList<>();
    final List<String> reference = new ArrayList<>();
    final Map<String, MetricSpec> specs = new LinkedHashMap<>();
    final Map<String, Values> values = new LinkedHashMap<>();
    final List<Batch> batches = new ArrayList<>();
    final Map<String, LogGroup> groups = new TreeMap<>();
    final List<LogCount> counts = new ArrayList<>();
    GuardConfig config = GuardConfig.defaults();
    /** Seconds into each step at which every instance is scraped: a sample stands for the step before its stamp. */
    long scrapeOffset;
    private final Map<String, Map<String, double[]>> cache = new TreeMap<>();
    private final long from;
    private final long to;

    /**
     * @param historyPoints samples before the release starts
     * @param afterPoints   samples after it
     */
    Scenario(long step, int historyPoints, int afterPoints, int releasedCount, int referenceCount) {
        this.step = step;
        this.release = T0 + historyPoints * step;
        this.from = T0;
        this.to = release + afterPoints * step;
        for (int i = 1; i <= releasedCount; i++) released.add("app-r" + i);
        for (int i = 1; i <= referenceCount; i++) reference.add("app-f" + i);
    }

    Scenario metric(MetricSpec spec, Values v) {
        specs.put(spec.name(), spec);
        values.put(spec.name(), v);
        return this;
    }

    /** One batch with all released instances at the release start. */
    Scenario oneBatch() {
        return batch(release, released, false);
    }

    Scenario batch(long at, List<String> instances, boolean preRelease) {
        batches.add(new Batch(batches.size() + 1, at, instances, preRelease));
        return this;
    }

    /** Every instance scraped {@code seconds} into the step rather than on it, as a target's scrape offset has it. */
    Scenario scrapedAt(long seconds) {
        this.scrapeOffset = seconds;
        return this;
    }

    Scenario config(GuardConfig c) {
        this.config = c;
        return this;
    }

    Scenario exception(String groupId, String type) {
        groups.put(groupId, new LogGroup(groupId, LogGroup.Kind.EXCEPTION, "ERROR", type, type, type + " at com.example.Svc.call", type));
        return this;
    }

    Scenario log(String instance, long bucketStart, String groupId, long count) {
        counts.add(new LogCount(bucketStart, instance, groupId, count));
        return this;
    }

    boolean isReleased(String instance, long t) {
        for (Batch b : batches) if (b.at() <= t && b.instances().contains(instance)) return true;
        return false;
    }

    List<String> all() {
        List<String> out = new ArrayList<>(released);
        out.addAll(reference);
        return out;
    }

    private double[] series(String instance, String metric) {
        return cache.computeIfAbsent(instance, k -> new TreeMap<>()).computeIfAbsent(metric, m -> {
            Random rnd = new Random((instance + "/" + metric).hashCode());
            int n = (int) ((to - from) / step) + 1;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = values.get(metric).at(instance, from + i * step, rnd);
            return v;
        });
    }

    GuardInput input(long now) {
        Observations.Builder ob = Observations.builder();
        for (String inst : all()) {
            for (String metric : specs.keySet()) {
                double[] v = series(inst, metric);
                int n = (int) ((Math.min(now - scrapeOffset, to) - from) / step) + 1;
                long[] times = new long[n];
                double[] vals = new double[n];
                for (int i = 0; i < n; i++) {
                    times[i] = from + i * step + scrapeOffset;
                    vals[i] = v[i];
                }
                ob.put(inst, metric, Series.of(times, vals));
            }
        }
        ReleaseView view = new ReleaseView("app", "v1", "v2", release, batches.stream().filter(b -> b.at() <= now).toList(), null);
        LogData logs = new LogData(groups, counts, 60).upTo(now);
        return new GuardInput(view, now, step, specs, new TreeSet<>(all()), ob.build(), logs, config);
    }

    /** Rounds every step from the release start to {@code release + afterPoints·step}, state carried along. */
    List<RoundResult> run(Judge judge, int afterPoints) {
        List<RoundResult> out = new ArrayList<>();
        GuardState state = GuardState.initial();
        for (int i = 0; i <= afterPoints; i++) {
            RoundResult r = judge.judge(input(release + i * step), state);
            out.add(r);
            state = r.state();
        }
        return out;
    }

    /** Rounds every {@code seconds} from the release start while within {@code afterPoints} steps of it, as a live guard whose analysis interval differs from its step. */
    List<RoundResult> runEvery(Judge judge, long seconds, int afterPoints) {
        List<RoundResult> out = new ArrayList<>();
        GuardState state = GuardState.initial();
        for (long now = release; now <= release + afterPoints * step; now += seconds) {
            RoundResult r = judge.judge(input(now), state);
            out.add(r);
            state = r.state();
        }
        return out;
    }

    /** A Poisson count with the given mean (Knuth's method: fine for the few dozen a step used in tests). */
    static double poisson(Random rnd, double mean) {
        double limit = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > limit);
        return k - 1;
    }

    static double noisy(Random rnd, double level, double spread) {
        return level * (1 + spread * rnd.nextGaussian());
    }
}
